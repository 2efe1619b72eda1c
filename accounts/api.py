"""Accounts over the API: sign up, tokens, and deleting your account.

POST /api/auth/signup/, POST|DELETE /api/auth/token/, DELETE /api/auth/account/.
"""

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import delete_account
from accounts.validators import TAKEN, stored_form, validate_new_username
from forecasts.api.errors import error_responses
from forecasts.api.fields import StrictCharField, StrictEmailField, StrictSerializer
from forecasts.api.throttles import FailedLoginThrottle, SignupThrottle

TAG = ["auth"]


class SignupInput(StrictSerializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, trim_whitespace=False)
    email = StrictEmailField(max_length=254, required=False, allow_blank=True)

    def validate_username(self, username):
        try:
            validate_new_username(username)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return stored_form(username)

    def validate(self, attrs):
        user = get_user_model()(username=attrs["username"], email=attrs.get("email"))
        try:
            password_validation.validate_password(attrs["password"], user)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": error.messages}) from None
        return attrs


class TokenInput(StrictSerializer):
    username = StrictCharField(max_length=150, trim_whitespace=False)
    password = StrictCharField(max_length=128, trim_whitespace=False)


class DeleteAccountInput(StrictSerializer):
    password = StrictCharField(max_length=128, trim_whitespace=False)


USERNAME = inline_serializer("SignupOutput", {"username": serializers.CharField()})
TOKEN = inline_serializer("TokenOutput", {"token": serializers.CharField()})


class SignupView(APIView):
    # No session: a logged-in browser may sign up another account without CSRF
    # trouble, and nothing here acts as the caller.
    authentication_classes = []
    throttle_classes = [SignupThrottle]

    @extend_schema(
        tags=TAG,
        summary="Create an account",
        description="The e-mail address is optional and never shown; signing up "
        "with one already in use answers exactly as with a new one.",
        request=SignupInput,
        responses={201: USERNAME, **error_responses(400, 413, 415, 429)},
    )
    def post(self, request):
        serializer = SignupInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    data["username"], data.get("email", ""), data["password"]
                )
        except IntegrityError:
            # Another sign-up took the name between the check and the insert.
            raise serializers.ValidationError({"username": [TAKEN]}) from None
        return Response({"username": user.username}, status=201)


class TokenView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Get your API token",
        description="Send it as `Authorization: Token <token>`. Failed attempts "
        "are throttled per address.",
        request=TokenInput,
        responses={200: TOKEN, **error_responses(400, 413, 415, 429)},
    )
    def post(self, request):
        serializer = TokenInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            self.login_throttle.record_failure()
            raise serializers.ValidationError(
                {"non_field_errors": ["Wrong username or password."]}
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(
        tags=TAG,
        summary="Revoke your API token",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=204)

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def get_throttles(self):
        if self.request.method != "POST":
            return []
        self.login_throttle = FailedLoginThrottle()
        return [self.login_throttle]

    def get_authenticators(self):
        # Logging in acts as nobody, so a stale token or session cannot block it.
        if self.request and self.request.method == "POST":
            return []
        return super().get_authenticators()


class AccountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Delete your account",
        description='Send `{"password": "…"}` in the body (OpenAPI describes no '
        "body for DELETE). The account is anonymised: its username becomes "
        "deleted-<id>; e-mail, password and tokens go; its forecasts and scores "
        "stay under the new name. Wrong passwords are throttled like failed "
        "token requests.",
        request=None,
        responses={204: None, **error_responses(400, 401, 413, 415, 429)},
    )
    def delete(self, request):
        serializer = DeleteAccountInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not request.user.check_password(serializer.validated_data["password"]):
            self.password_throttle.record_failure()
            raise serializers.ValidationError({"password": ["Wrong password."]})
        delete_account(user=request.user)
        return Response(status=204)

    def get_throttles(self):
        self.password_throttle = FailedLoginThrottle()
        return [self.password_throttle]
