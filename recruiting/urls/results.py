from django.urls import path

from recruiting.views.results import actions, detail, export, listing

app_name = "results"
urlpatterns = [
    path("", listing.results_list, name="list"),
    path("new/", listing.results_new_count, name="new_count"),
    path("export.csv", export.results_export, name="export"),
    path("<int:pk>/", detail.result_page, name="detail"),
    path("<int:pk>/report.pdf", detail.report_file, name="report_file"),
    path("<int:pk>/report/", detail.report_html, name="report_html"),
    path("<int:pk>/decide/", actions.decide, name="decide"),
    path("<int:pk>/generate-report/", actions.generate_report, name="generate_report"),
    path("<int:pk>/another-attempt/", actions.request_attempt, name="request_attempt"),
    path("<int:pk>/view-link/", actions.view_link, name="view_link"),
    path("interviews/<int:pk>/auto-retry/", actions.auto_retry, name="auto_retry"),
]
