"""Who may do what: staff write questions and resolutions, users forecast."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsStaff(BasePermission):
    """Staff only; anonymous callers get 401 and other users 403."""

    message = "Only staff can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_staff)


class IsStaffOrReadOnly(IsStaff):
    """Anyone reads; only staff write."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or super().has_permission(request, view)
