"""The sign-in throttle holds when guesses arrive all at once, not only one after another.
Runs on real transactions (and, on SQLite, a file database) so the guesses really overlap."""

import threading
import time

import pytest
from django.db import connections
from django.test import Client as HttpClient

from outward.accounts import views
from outward.accounts.models import LoginFailure, User

GUESSES = 20


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_are_checked_at_most_limit_times(settings, monkeypatch):
    User.objects.create_user("target@example.test", "the real password", full_name="Target")
    checked, lock = [], threading.Lock()
    real_authenticate = views.authenticate

    def slow_authenticate(request, **credentials):
        with lock:
            checked.append(1)
        time.sleep(0.05)  # a slow password hash: the window the old count-then-record left open
        return real_authenticate(request, **credentials)

    monkeypatch.setattr(views, "authenticate", slow_authenticate)
    barrier = threading.Barrier(GUESSES)
    statuses, errors = [], []

    def guess(number):
        try:
            http = HttpClient(REMOTE_ADDR=f"198.51.100.{number}")
            barrier.wait()
            response = http.post(
                "/login/", {"email": "target@example.test", "password": f"guess {number}"}
            )
            with lock:
                statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=[n]) for n in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    limit = settings.LOGIN_THROTTLE_PER_ACCOUNT
    assert errors == []
    assert len(checked) == limit
    assert sorted(statuses) == [200] * limit + [429] * (GUESSES - limit)
    assert LoginFailure.objects.filter(email="target@example.test").count() == limit
