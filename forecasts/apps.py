from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "forecasts"

    def ready(self):
        from forecasts import signals

        signals.connect()
