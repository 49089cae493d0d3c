"""Every enumeration of the JobMojito API, defined once.

Source: section 7 of the API reference (shared/jobmojito-api.md). Models, forms, the client and the
sandbox import these; nothing else spells an API enum value. Where the API accepts a narrower set
on input than it returns (e.g. interview status on create vs. get), both sets are defined.
"""

from django.db import models


def values(choices) -> frozenset[str]:
    """The wire values of a TextChoices class, for validation."""
    return frozenset(choices.values)


# 7.1 Languages (34 codes, spec order)
class Language(models.TextChoices):
    AR = "ar", "Arabic"
    BG = "bg", "Bulgarian"
    ZH = "zh", "Chinese"
    HR = "hr", "Croatian"
    CS = "cs", "Czech"
    DA = "da", "Danish"
    NL = "nl", "Dutch"
    EN = "en", "English"
    FIL = "fil", "Filipino"
    FI = "fi", "Finnish"
    FR = "fr", "French"
    DE = "de", "German"
    EL = "el", "Greek"
    HI = "hi", "Hindi"
    HU = "hu", "Hungarian"
    ID = "id", "Indonesian"
    IT = "it", "Italian"
    JA = "ja", "Japanese"
    KO = "ko", "Korean"
    MS = "ms", "Malay"
    NO = "no", "Norwegian"
    PL = "pl", "Polish"
    PT = "pt", "Portuguese"
    BR = "br", "Portuguese (Brazil)"
    RO = "ro", "Romanian"
    RU = "ru", "Russian"
    SK = "sk", "Slovak"
    ES = "es", "Spanish"
    SV = "sv", "Swedish"
    TA = "ta", "Tamil"
    TH = "th", "Thai"
    TR = "tr", "Turkish"
    UK = "uk", "Ukrainian"
    VI = "vi", "Vietnamese"


# 7.2 Interview definition status
class CreateStatus(models.TextChoices):
    """Status accepted by job-interview-create, -create-from-array and persona-create."""

    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"


class InterviewStatus(models.TextChoices):
    """Stored status of an interview definition (set-state, update, get, list filter)."""

    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"
    DELETED = "deleted", "Deleted"
    PREPARING = "preparing", "Preparing"
    COMPLETED = "completed", "Completed"


class CatalogueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class AvatarStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DRAFT = "draft", "Draft"
    ARCHIVED = "archived", "Archived"
    DELETED = "deleted", "Deleted"


# 7.3 Type
class CreateType(models.TextChoices):
    """`type` accepted by the create and update endpoints."""

    INTERVIEW = "interview", "Interview"
    COACHING = "coaching", "Coaching"
    ASSESSMENT = "assessment", "Assessment"


class InterviewType(models.TextChoices):
    """Stored / returned product `type` (get, list filters)."""

    COACHING = "coaching", "Coaching"
    INTERVIEW = "interview", "Interview"
    PERSONA = "persona", "Persona"
    PERSONA_INTERVIEW = "persona_interview", "Persona interview"
    PUBLIC_AVATAR = "public_avatar", "Public avatar"
    ASSESSMENT = "assessment", "Assessment"


class PersonaPortal(models.TextChoices):
    COACHING = "coaching", "Coaching"
    INTERVIEW = "interview", "Interview"


class TypeCredit(models.TextChoices):
    RESUME_CHECK = "resume_check", "Résumé check"
    INTERVIEW_COACH_STARTER = "interview_coach_starter", "Coach starter"
    INTERVIEW_COACH_CONTRIBUTOR = "interview_coach_contributor", "Coach contributor"
    INTERVIEW_COACH_MANAGER = "interview_coach_manager", "Coach manager"
    COVER_LETTER = "cover_letter", "Cover letter"


class CoachPlan(models.TextChoices):
    DEMO = "demo", "Demo"
    SCREENING = "screening", "Screening"
    SECOND = "2nd", "2nd round"
    THIRD = "3rd", "3rd round"
    CLOSING = "closing", "Closing"
    JOB_SPECIFIC = "job-specific", "Job-specific"
    OTHER = "other", "Other"


# 7.4 Visibility
class CreateVisibility(models.TextChoices):
    """Visibility accepted on create / update of interviews and personas."""

    MERCHANT_PUBLIC = "merchant_public", "Listed"
    MERCHANT_INVITE = "merchant_invite", "Invite only"
    MERCHANT_UNLISTED = "merchant_unlisted", "Direct link only"


class Visibility(models.TextChoices):
    """Visibility returned by job-interview-get."""

    PUBLIC = "public", "Public"
    MERCHANT_PUBLIC = "merchant_public", "Listed"
    MERCHANT_INVITE = "merchant_invite", "Invite only"
    MERCHANT_UNLISTED = "merchant_unlisted", "Direct link only"
    SUB_ITEM = "sub_item", "Sub item"


class CatalogueVisibility(models.TextChoices):
    PUBLIC = "public", "Public"
    MERCHANT_PUBLIC = "merchant_public", "Listed"
    MERCHANT_INVITE = "merchant_invite", "Invite only"
    MERCHANT_UNLISTED = "merchant_unlisted", "Direct link only"


# 7.5 interview_type
class InterviewStyle(models.TextChoices):
    """`interview_type`: the style that shapes generated questions and follow-ups."""

    PRE_SCREENING = "pre-screening", "Pre-screening"
    PRE_SCREENING_WITH_TEST_QUESTIONS = "pre-screening-with-test-questions", "Pre-screening with test questions"
    SECOND_INTERVIEW = "second-interview", "Second interview"
    REMOTE_FREELANCER_VERIFICATION = "remote-freelancer-verification", "Remote freelancer verification"
    STRENGTH_BASED_INTERVIEW = "strength-based-interview", "Strength-based interview"
    POTENTIAL_BASED_INTERVIEW = "potential-based-interview", "Potential-based interview"
    PROCESS_VERIFICATION_FROM_KNOWLEDGE_BASE = (
        "process-verification-from-knowledge-base",
        "Process verification from knowledge base",
    )


# 7.6 Other interview settings
class SeniorityLevel(models.TextChoices):
    ENTRY_LEVEL = "entry-level", "Entry level"
    INTERMEDIATE = "intermediate", "Intermediate"
    SENIOR = "senior", "Senior"
    MANAGERIAL = "managerial", "Managerial"
    DIRECTOR = "director", "Director"
    EXECUTIVE = "executive", "Executive"


class ResultView(models.TextChoices):
    NONE = "none", "None (auto-submit)"
    MINIMAL = "minimal", "Minimal"
    MINIMAL_WITH_SCORE = "minimal_with_score", "Minimal with score"
    ADVANCED = "advanced", "Advanced"
    FULL = "full", "Full"
    FULL_EXPAND_SCORES = "full_expand_scores", "Full, scores expanded"


class Recording(models.TextChoices):
    """Per-answer cheating-detection recording (null = off)."""

    AUDIO_FIRST_5_ANSWERS = "audio_first_5_answers", "Audio, first 5 answers"
    AUDIO_ALL = "audio_all", "Audio, all answers"
    VIDEO_ALL = "video_all", "Video, all answers"
    VIDEO_FIRST_5_ANSWERS = "video_first_5_answers", "Video, first 5 answers"


class RecordingFullSession(models.TextChoices):
    """Full-session recording accepted on input (get may echo any Recording value)."""

    AUDIO_ALL = "audio_all", "Audio"
    VIDEO_ALL = "video_all", "Video"


class ConversationSpeed(models.TextChoices):
    SLOWER = "slower", "Slower"
    NORMAL = "normal", "Normal"
    FASTER = "faster", "Faster"


class VideoIntroductionInput(models.TextChoices):
    """candidate_video_introduction accepted on create."""

    OPTIONAL = "optional", "Optional"
    REQUIRED = "required", "Required"


class VideoIntroduction(models.TextChoices):
    """candidate_video_introduction stored / accepted on update (null ~ hidden)."""

    HIDDEN = "hidden", "Hidden"
    OPTIONAL = "optional", "Optional"
    REQUIRED = "required", "Required"


class InterviewTone(models.TextChoices):
    """Suggested values; the API accepts any string (case-insensitive, unknown -> relaxed)."""

    RELAXED = "relaxed", "Relaxed"
    SIMPLE = "simple", "Simple (CEFR A2)"
    PROFESSIONAL = "professional", "Professional"
    PERSUASIVE = "persuasive", "Persuasive"


class MaxFollowups(models.IntegerChoices):
    NONE = 0, "None"
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"


class ReportTemplate(models.TextChoices):
    CLASSIC = "classic", "Classic"
    MODERN = "modern", "Modern"
    ONE_PAGER = "one_pager", "One pager"


class ExportType(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"
    JSON = "json", "JSON"


class AvatarTemplateType(models.TextChoices):
    """Avatar template `type` / `interview_template_type`; decides the modality."""

    INTERACTIVE_HEYGEN = "interactive_heygen", "Interactive video avatar"
    INTERACTIVE_ELEVENLABS = "interactive_elevenlabs", "Voice only"
    OFFLINE_HEYGEN = "offline_heygen", "Pre-recorded avatar"
    OFFLINE_ELAI = "offline_elai", "Pre-recorded avatar (legacy Elai)"
    OFFLINE_SYNTHESIA = "offline_synthesia", "Pre-recorded avatar (legacy Synthesia)"


LEGACY_TEMPLATE_TYPES = frozenset({AvatarTemplateType.OFFLINE_ELAI, AvatarTemplateType.OFFLINE_SYNTHESIA})


# 7.7 Token / invite / user types
class TokenType(models.TextChoices):
    INTERVIEW_FOR_PROFILE = "interview-for-profile", "Interview link for a candidate"
    RESULTS_FOR_PROFILE = "results-for-profile", "Results of a candidate"
    INTERVIEW_RESULT_CANDIDATE = "interview-result-candidate", "Result, candidate view"
    INTERVIEW_RESULT_TALENT_SEEKER = "interview-result-talent-seeker", "Result, recruiter view"
    INTERVIEW_RESULTS_FOR_POSITION = "interview-results-for-position", "All results of a position"


class InviteUserType(models.TextChoices):
    MERCHANT_OWNER = "merchant_owner", "Merchant owner"
    MERCHANT = "merchant", "Merchant"
    MERCHANT_SELECTION = "merchant_selection", "Merchant selection"
    USER = "user", "Coaching user"
    MENTOR = "mentor", "Mentor"
    CANDIDATE = "candidate", "Candidate"


class InviteResult(models.TextChoices):
    """Row `result` of invite-users (besides `Error: <message>`)."""

    INVITED = "Invited", "Invited"
    ACTIVATED = "Activated", "Activated"
    SUB_MERCHANT_ADDED = "SubMerchantAdded", "Sub-merchant added"
    COACHING_ACCESS_ADDED = "CoachingAccessAdded", "Coaching access added"
    SKIPPED = "Skipped", "Skipped"


class RegisterType(models.TextChoices):
    """`job-interview-register-users` `type`, from the cookbook (the spec's equivalent is `send_email`)."""

    URL = "url", "Links only (you send them)"
    INVITATION = "invitation", "JobMojito emails the invitations"


REGISTER_RESULT_OK = "ok"
ROW_ERROR_PREFIX = "Error: "


# 7.8 Pre-screening
class PreScreeningType(models.TextChoices):
    RESUME = "resume", "Résumé"
    FORM = "form", "Form"
    RESUME_WITH_FORM = "resume_with_form", "Résumé with form"


class PreScreeningStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"


class RuleType(models.TextChoices):
    OPTIONAL = "optional", "Optional"
    REQUIRED = "required", "Required"
    SCREENING = "screening", "Screening"


class RuleAction(models.TextChoices):
    MARK_FOR_REVIEW = "mark_for_review", "Mark for review"
    REJECT = "reject", "Reject"


class RuleId(models.TextChoices):
    """Standard assessment-rule / form-field ids (custom ones are `custom_<timestamp>`)."""

    FORM_NATIONALITY = "form_nationality", "Nationality"
    FORM_RESIDENCY = "form_residency", "Residency"
    FORM_LANGUAGES = "form_languages", "Languages"
    FORM_EDUCATION = "form_education", "Education"
    FORM_EDUCATION_BY_COUNTRY = "form_education_by_country", "Education by country"
    FORM_VISA = "form_visa", "Visa"
    FORM_AGE = "form_age", "Age"
    FORM_GENDER = "form_gender", "Gender"
    FORM_COVER_LETTER = "form_cover_letter", "Cover letter"
    FORM_NATIONAL_ID = "form_national_id", "National id"
    RESUME_MATCH = "resume_match", "Résumé match"
    RESUME_TECHNICAL_EXPERIENCE = "resume_technical_experience", "Technical experience"
    RESUME_EDUCATION = "resume_education", "Résumé education"
    RESUME_EDUCATION_BY_COUNTRY = "resume_education_by_country", "Résumé education by country"


CUSTOM_RULE_PREFIX = "custom_"


class LanguageLevel(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"
    FLUENT = "fluent", "Fluent"


class EducationLevel(models.TextChoices):
    """Education keys, lowest first (order is meaningful for minimum-level rules)."""

    PRIMARY_SCHOOL = "primary school", "Primary school"
    HIGH_SCHOOL_NO_GRADUATION = "high school no graduation", "High school, no graduation"
    HIGH_SCHOOL = "high school", "High school"
    VOCATIONAL = "vocational", "Vocational"
    BACHELORS = "bachelors", "Bachelor's"
    MASTERS = "masters", "Master's"
    DOCTORATE = "doctorate", "Doctorate"


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"


class FormFieldType(models.TextChoices):
    TEXT = "text", "Text"
    FILE = "file", "File"
    RADIO = "radio", "Radio"


class Recommendation(models.TextChoices):
    AI_ACCEPT = "ai_accept", "AI accept"
    AI_REJECT = "ai_reject", "AI reject"
    RECRUITER_ACTION = "recruiter_action", "Needs recruiter review"


class DecisionStatus(models.TextChoices):
    """Decision / lifecycle status of a candidate for a position."""

    AI_ACCEPT = "ai_accept", "AI accept"
    RECRUITER_ACCEPT = "recruiter_accept", "Recruiter accept"
    RECRUITER_ACTION = "recruiter_action", "Needs recruiter review"
    AI_REJECT = "ai_reject", "AI reject"
    RECRUITER_REJECT = "recruiter_reject", "Recruiter reject"
    ALREADY_APPLIED = "already-applied", "Already applied"


PRE_SCREENING_SCREENABLE_STATE = "candidate_action"


# 7.9 Results
class ResultStatus(models.TextChoices):
    DRAFT = "draft", "Not submitted"
    ACTIVE = "active", "Submitted"
    ARCHIVED = "archived", "Archived"


class CoachStatus(models.TextChoices):
    """Interview / coach status of a result (`interview_status`, `coach_status`)."""

    ONGOING = "ongoing", "Ongoing"
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"
    COMPLETED_STOPPED_EARLY = "completed, stopped early", "Completed, stopped early"
    FAILED = "failed", "Failed"
    ABANDONED = "abandoned", "Abandoned"
    TERMINATED_NO_SPEECH = "terminated, no speech detected", "Terminated, no speech detected"


COMPLETED_COACH_STATUSES = frozenset({CoachStatus.COMPLETED, CoachStatus.COMPLETED_STOPPED_EARLY})
FAILED_COACH_STATUSES = frozenset(
    {CoachStatus.FAILED, CoachStatus.ABANDONED, CoachStatus.TERMINATED_NO_SPEECH}
)


class ProcessingStatus(models.TextChoices):
    NEW = "new", "New"
    PROCESSING = "processing", "Processing"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class ResultTab(models.TextChoices):
    DECIDED_REJECTED = "decided-rejected", "Rejected"
    UNDECIDED = "undecided", "Undecided"
    SHORTLIST = "shortlist", "Shortlist"
    DECIDED_SELECTED = "decided-selected", "Selected"
    COMPLETED = "completed", "Completed"
    INCOMPLETE = "incomplete", "Incomplete"
    ARCHIVED_INTERVIEW = "archived-interview", "Archived interviews"
    PUBLIC_AVATAR = "public_avatar", "Public avatar"
    ARCHIVED_PUBLIC_AVATAR = "archived-public_avatar", "Archived public avatar"
    ALL = "", "All"


class ResultStep(models.TextChoices):
    PRE_SCREENING = "pre-screening", "Pre-screening"
    INTERVIEW = "interview", "Interview"


class ResultOrder(models.TextChoices):
    SCORE = "score", "Score"
    CREATED_AT_NEWEST = "created_at_newest", "Newest first"
    CREATED_AT_OLDEST = "created_at_oldest", "Oldest first"
    UPDATED_AT_NEWEST = "updated_at_newest", "Recently updated first"


class CandidateStatus(models.TextChoices):
    """Status of a profile_interview (candidate enrolment)."""

    ACTIVE = "active", "Active"
    INVITED = "invited", "Invited"
    DELETED = "deleted", "Deleted"


class CandidateTab(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    PRE_SCREENING = "pre-screening", "Pre-screening"
    NO_ACTION = "no-action", "No action"
    LEADS = "leads", "Leads"
    ALL = "", "All"


class CandidateSource(models.TextChoices):
    INVITED = "invited", "Invited"
    REGISTERED = "registered", "Registered"


class CandidateOrder(models.TextChoices):
    # The misspellings are the API's real values.
    NAME_ACCENDING = "name_accending", "Name A-Z"
    NAME_DECENDING = "name_decending", "Name Z-A"
    CREATED_AT_NEWEST = "created_at_newest", "Newest first"
    CREATED_AT_OLDEST = "created_at_oldest", "Oldest first"


class CreditEvent(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    INTERVIEW_REVIEWING = "interview_reviewing", "Interview reviewing"
    INTERVIEW_FAILED = "interview_failed", "Interview failed"
    INTERVIEW_INCOMPLETE = "interview_incomplete", "Interview incomplete"
    PRE_SCREENING = "pre_screening", "Pre-screening"
    CANDIDATE_REPORT_TRANSLATION = "candidate_report_translation", "Report translation"
    CANDIDATE_KYC = "candidate_kyc", "KYC"
    PUBLIC_AVATAR = "public_avatar", "Public avatar"
    INTERVIEW_SIMULATION = "interview_simulation", "Interview simulation"


# 7.10 Pipeline stage
class PipelineStage(models.TextChoices):
    INTEREST = "Interest", "Interest"
    APPLICATION_SUBMITTED = "Application submitted", "Application submitted"
    INTERVIEW_1ST_PLANNED = "Interview 1st planned", "Interview 1st planned"
    INTERVIEW_1ST_COMPLETED = "Interview 1st completed", "Interview 1st completed"
    INTERVIEW_2ND_PLANNED = "Interview 2nd planned", "Interview 2nd planned"
    INTERVIEW_2ND_COMPLETED = "Interview 2nd completed", "Interview 2nd completed"
    INTERVIEW_3RD_PLANNED = "Interview 3rd planned", "Interview 3rd planned"
    INTERVIEW_3RD_COMPLETED = "Interview 3rd completed", "Interview 3rd completed"
    OFFER_NEGOTIATIONS = "Offer negotiations", "Offer negotiations"
    HIRED = "Hired", "Hired"
    REJECTED = "Rejected", "Rejected"
    OFFER_DECLINED = "Offer declined", "Offer declined"
    OTHER = "Other", "Other"


# 7.11 Misc
class SubMerchantOrder(models.TextChoices):
    NAME = "name", "Name"
    CREATED_AT_NEWEST = "created_at_newest", "Newest first"
    CREATED_AT_OLDEST = "created_at_oldest", "Oldest first"


# Section 3: webhook events (the payload carries no event name; see mojito.webhooks)
class WebhookEvent(models.TextChoices):
    INTERVIEW_COLLECTED = "interview_collected", "Interview collected"
    INTERVIEW_RESULT = "interview_result", "Interview result"
    INTERVIEW_FAILED = "interview_failed", "Interview failed"
