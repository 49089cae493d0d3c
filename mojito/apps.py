from django.apps import AppConfig


class MojitoConfig(AppConfig):
    name = "mojito"
    verbose_name = "JobMojito"
    default_auto_field = "django.db.models.BigAutoField"
