from django.apps import AppConfig


class SiteConfig(AppConfig):
    """What spans the apps: the home page, the navigation, the error pages and the demo's story. It sits above
    every app and nothing imports it (the label keeps clear of django.contrib.sites)."""

    name = "dongthuan.site"
    label = "dongthuan_site"
