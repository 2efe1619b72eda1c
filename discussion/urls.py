from django.urls import path

from discussion import api, views

app_name = "discussion"
urlpatterns = [
    path("questions/<slug:slug>/comments/", views.post_comment, name="post"),
    path("comments/<int:pk>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:pk>/delete/", views.delete_comment, name="delete"),
]

# Included by forecasts.api.urls, so that the API index lists them.
api_urlpatterns = [
    path(
        "questions/<slug:slug>/comments/",
        api.CommentListView.as_view(),
        name="api-comments",
    ),
    path("comments/<int:pk>/", api.CommentDetailView.as_view(), name="api-comment"),
]
