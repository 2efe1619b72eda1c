from django.urls import path

from tournaments import api

urlpatterns = [
    path("", api.TournamentListView.as_view(), name="api-tournaments"),
    path("<slug:slug>/", api.TournamentDetailView.as_view(), name="api-tournament"),
    path(
        "<slug:slug>/invite/",
        api.InviteView.as_view(),
        name="api-tournament-invite",
    ),
    path(
        "<slug:slug>/members/",
        api.MembersView.as_view(),
        name="api-tournament-members",
    ),
    path("<slug:slug>/join/", api.JoinView.as_view(), name="api-tournament-join"),
    path(
        "<slug:slug>/leaderboard/",
        api.LeaderboardView.as_view(),
        name="api-tournament-leaderboard",
    ),
]
