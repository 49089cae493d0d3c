from django.urls import path

from recruiting.views.interviews import actions, create, pages

app_name = "interviews"
urlpatterns = [
    path("", pages.interview_list, name="list"),
    path("new/", create.new, name="new"),
    path("new/from-description/", create.new_from_description, name="new_from_description"),
    path("new/from-questions/", create.new_from_questions, name="new_from_questions"),
    path("new/for-candidate/", create.new_for_candidate, name="new_for_candidate"),
    path("templates/sync/", actions.sync_templates, name="sync_templates"),
    path("<int:pk>/", pages.interview_detail, name="detail"),
    path("<int:pk>/publish/", actions.publish, name="publish"),
    path("<int:pk>/unpublish/", actions.unpublish, name="unpublish"),
    path("<int:pk>/archive/", actions.confirm_state, {"action": "archive"}, name="archive"),
    path("<int:pk>/delete/", actions.confirm_state, {"action": "delete"}, name="delete"),
    path("<int:pk>/embedding/", actions.embedding, name="embedding"),
    path("<int:pk>/resync/", actions.resync, name="resync"),
]
