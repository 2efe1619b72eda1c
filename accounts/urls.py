from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views


def template(name: str) -> dict:
    # accounts/… names: the admin app, listed first, ships registration/… ones.
    return {"template_name": f"accounts/{name}.html"}


urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(**template("login")), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("delete/", views.delete_account_page, name="delete_account"),
    path(
        "password_change/",
        views.PasswordChangeView.as_view(**template("password_change_form")),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(**template("password_change_done")),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        views.PasswordResetView.as_view(**template("password_reset_form")),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(**template("password_reset_done")),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(**template("password_reset_confirm")),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            **template("password_reset_complete")
        ),
        name="password_reset_complete",
    ),
]
