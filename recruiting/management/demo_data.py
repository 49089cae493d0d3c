"""The demo team's hiring: interviews, the people who applied, and what happened to them.

Names are what a real team would use (no batch tags): ``seed_demo`` stays idempotent by finding
what an earlier run made (interviews by name, bulk invites by interview and file name, results by
invitation) instead of renaming things.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

RESUME_TEXT = """Jane Doe — Senior Backend Engineer
8 years building Python and Django services; PostgreSQL, Redis, Celery, AWS.
Led the migration of a monolith to event-driven services handling 2k requests/s.
MSc Computer Science, University of Edinburgh. Fluent English, intermediate German.
"""
KNOWLEDGE_DOCUMENT = """# Engineering handbook
We deploy several times a day behind feature flags. On-call is one week in six.
Interviews assess problem solving, communication and ownership.
"""
KNOWLEDGE_FILE = "engineering-handbook.md"


@dataclass(frozen=True)
class DemoInterview:
    key: str
    name: str
    how: str  # "description" | "questions"
    location: str
    description: str
    final_status: str  # active | draft | archived
    questions: tuple[str, ...] = ()
    embedded: bool = False
    options: dict = field(default_factory=dict)


INTERVIEWS = (
    DemoInterview(
        "backend", "Senior Backend Engineer", "description", "Remote (EU)",
        "Python/Django backend engineer for our hiring platform: APIs, background jobs, PostgreSQL, on-call.",
        "active", options={"seniority_level": "senior"}),
    DemoInterview(
        "support", "Customer Support Lead", "questions", "Lisbon",
        "Lead a team of eight support specialists across email, chat and phone.", "active",
        questions=("Tell us about a time you turned an angry customer into a loyal one.",
                   "How do you decide what your team works on first on a busy Monday?",
                   "Which support metrics matter most to you, and why?",
                   "Describe how you coach a specialist whose satisfaction scores are dropping."),
        embedded=True),
    DemoInterview(
        "sales", "Account Executive, DACH", "questions", "Munich",
        "Own the full sales cycle with mid-market customers in Germany, Austria and Switzerland.", "active",
        questions=("Walk us through the biggest deal you closed last year.",
                   "How do you qualify a lead in the first call?",
                   "A prospect goes silent after the demo. What do you do?")),
    DemoInterview(
        "analyst", "Data Analyst (2025 graduate intake)", "description", "Berlin",
        "Graduate analysts for our BI team: SQL, dashboards, experiment analysis.", "archived"),
    DemoInterview(
        "designer", "Product Designer", "description", "Remote (EU)",
        "Design the recruiter dashboard end to end: research, flows, UI, design system.", "draft"),
)

CANDIDATE_INTERVIEW = {"position_name": "Staff Engineer, Platform", "position_location": "London",
                       "position_country_code": "GB", "candidate_name": "Jane Doe",
                       "candidate_email": "jane.doe@example.com", "candidate_country_code": "GB"}
POSITION = {"name": "Data Engineer", "location": "Berlin", "country_code": "DE",
            "description": "Batch and streaming pipelines on PostgreSQL and Kafka."}

NAMES = (
    "Ana Souza", "Tom Becker", "Li Wei", "Sam Lee", "Priya Nair", "Lukas Novak", "Fatima Zahra", "Oliver Grant",
    "Chloé Martin", "Mateo García", "Aisha Bello", "Jonas Lindqvist", "Mei Tanaka", "Daniel Okafor", "Sofia Rossi",
    "Ethan Brooks", "Hana Kim", "Rafael Costa", "Ingrid Berg", "Omar Haddad", "Emma Schulz", "Arjun Mehta",
    "Lucía Fernández", "Kwame Mensah", "Zoe Clarke", "Noah Fischer", "Yara Khalil", "Felix Wagner", "Amara Obi",
    "Jakub Kowalski", "Elena Petrova", "Marcus Hill", "Nadia Rahman", "Pierre Dubois", "Ravi Shankar",
    "Isabel Moreno", "Tariq Aziz", "Greta Hansen", "Leo Bianchi", "Maya Patel", "Jon Berg", "Eva Diaz",
    "Kenji Watanabe", "Olivia Turner", "Samir Benali", "Clara Vogel", "Diego Alves", "Freya Nielsen",
    "Hugo Lefèvre", "Ines Duarte", "Karim Mansour", "Laura Keller", "Mohammed Ali", "Nora Eriksen", "Paolo Conti",
    "Rosa Jiménez", "Stefan Horvat", "Tanya Ivanova", "Victor Lam", "Wanjiru Kamau",
)


def email_of(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    return ".".join(ascii_name.replace("-", " ").split()) + "@example.com"


def person(index: int) -> dict:
    name = NAMES[index]
    return {"name": name, "email": email_of(name), "external_id": f"ATS-{1041 + index}"}


@dataclass(frozen=True)
class DemoUpload:
    interview: str
    file_name: str
    people: range
    delivery: str = "links"
    extra_lines: tuple[str, ...] = ()  # rows a real file gets wrong (a typo, a repeat)
    while_jobmojito_is_down: bool = False  # its rows fail: the "retry failed rows" demo
    send: bool = True


UPLOADS = (
    DemoUpload("backend", "backend-applicants-november.csv", range(0, 24),
               extra_lines=("Ben Carter,ben.carter(at)example.com,ATS-2001", "Ana Souza,Ana.Souza@example.com,ATS-1041")),
    DemoUpload("support", "support-lead-shortlist.csv", range(24, 38), delivery="email"),
    DemoUpload("sales", "ae-dach-referrals.csv", range(38, 48)),
    DemoUpload("sales", "ae-dach-late-applicants.csv", range(48, 50), while_jobmojito_is_down=True),
    DemoUpload("analyst", "graduate-intake.csv", range(50, 59)),
    DemoUpload("designer", "designer-portfolio-reviews.csv", range(0, 4), send=False),
)
FAILED_SINGLE = 59  # invited alone while JobMojito is down: an invitation that failed
EMAIL_SINGLES = ("support", range(20, 23))  # also invited one by one by email (invite-users)

# What the people who were sent an invitation did: (interview, number of the sent rows in file
# order, outcome). The dates are spread over the last 30 days.
TAKEN = (
    ("backend", 12, "submit"), ("backend", 2, "abandon"), ("backend", 1, "open"),
    ("support", 6, "submit"), ("support", 1, "open"),
    ("sales", 5, "submit"), ("sales", 1, "abandon"),
    ("analyst", 6, "submit"),
)


def days_ago(index: int) -> int:
    """A spread of 0-29 days for the index-th attempt (every day of the month gets some)."""
    return (index * 7) % 30


def csv_bytes(rows: list[dict], extra_lines: tuple[str, ...] = ()) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["name", "email", "external_id"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    for line in extra_lines:
        out.write(line + "\n")
    return out.getvalue().encode("utf-8")
