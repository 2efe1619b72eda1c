from django.urls import path

from proposals import api, views

app_name = "proposals"
urlpatterns = [
    path("proposals/", views.proposal_list, name="list"),
    path("proposals/new/", views.propose, name="new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="detail"),
    path("proposals/<int:pk>/accept/", views.accept, name="accept"),
    path("proposals/<int:pk>/decline/", views.decline, name="decline"),
]

# Included by forecasts.api.urls, so that the API index lists them.
api_urlpatterns = [
    path("proposals/", api.ProposalListView.as_view(), name="api-proposals"),
    path("proposals/<int:pk>/", api.ProposalDetailView.as_view(), name="api-proposal"),
    path(
        "proposals/<int:pk>/accept/",
        api.AcceptView.as_view(),
        name="api-proposal-accept",
    ),
    path(
        "proposals/<int:pk>/decline/",
        api.DeclineView.as_view(),
        name="api-proposal-decline",
    ),
]
