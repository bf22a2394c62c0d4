from django.apps import AppConfig


class SharedLibraryConfig(AppConfig):
    name = "shared_library"
    verbose_name = "统一信息资源库"
