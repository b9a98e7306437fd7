import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.members.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)")


def sign_up(client, email="baru@example.org"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_verify_log_in_log_out(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session, "unverified accounts stay logged out"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["baru@example.org"]
    confirm_path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)

    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)

    assert response.status_code == 302
    assert response["Location"] == reverse("members:dashboard")
    user = get_user_model().objects.get(email="baru@example.org")
    assert user.emailaddress_set.get().verified
    assert client.session["_auth_user_id"] == str(user.pk)

    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("account_login"), {"login": "baru@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_unverified_account_cannot_log_in(client):
    sign_up(client)
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "baru@example.org", "password": PASSWORD}
    )

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_sign_up_with_mismatched_passwords_creates_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "baru@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )

    assert response.status_code == 200
    assert "Anda harus mengetikkan kata sandi yang sama" in response.content.decode()
    assert not get_user_model().objects.filter(email="baru@example.org").exists()
    assert mail.outbox == []


def test_wrong_password_gets_a_clear_message_in_indonesian(client):
    user = UserFactory()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert "Alamat e-mail dan/atau kata sandi yang anda masukkan tidak benar." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert "Terlalu banyak percobaan masuk yang gagal." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_lets_the_user_choose_a_new_password(client):
    user = UserFactory()

    response = client.post(reverse("account_reset_password"), {"email": user.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_path = RESET_LINK.search(mail.outbox[0].body).group(1)
    form_page = client.get(reset_path, follow=True)
    new_password = "another-strong-password-77"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
