from django.urls import path

from forecasts.notifications import views

app_name = "notifications"
urlpatterns = [
    path("settings/", views.email_settings, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
