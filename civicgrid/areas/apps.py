from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "civicgrid.areas"
    label = "areas"
    verbose_name = "区域与网格"
