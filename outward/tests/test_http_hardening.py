"""Headers every response carries, and the request-size cap that acts before a body is read."""

import io

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from outward.middleware import RequestSizeLimitMiddleware, SecurityHeadersMiddleware, never_cache


def test_every_response_has_a_permissions_policy(world, client):
    for response in [client.get(reverse("accounts:login")), client.get(reverse("healthz"))]:
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_signed_in_pages_are_not_stored(world):
    response = world.as_("therapist").get(reverse("care:client_detail", args=[world.client.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in world.as_("client").get(reverse("care:today"))["Cache-Control"]


def test_never_cache_writes_what_django_writes():
    from django.utils.cache import add_never_cache_headers

    direct, by_django = HttpResponse(), HttpResponse()
    never_cache(direct)
    add_never_cache_headers(by_django)
    assert direct["Cache-Control"] == by_django["Cache-Control"]
    assert "Expires" in direct
    # A response that says something already is merged with, as Django does.
    merged = HttpResponse()
    merged["Cache-Control"] = "no-transform"
    never_cache(merged)
    assert "no-transform" in merged["Cache-Control"] and "no-store" in merged["Cache-Control"]


def test_public_pages_may_be_cached_but_downloads_may_not(world, client):
    assert "no-store" not in client.get(reverse("healthz")).get("Cache-Control", "")
    middleware = SecurityHeadersMiddleware(
        lambda request: HttpResponse("{}", content_type="application/fhir+json; charset=utf-8")
    )
    request = RequestFactory().get("/anything/")
    assert "no-store" in middleware(request)["Cache-Control"]


def test_fhir_download_is_not_stored(world):
    from outward.measures import services as measure_services

    answers = {str(n): 1 for n in range(1, 10)}
    response = measure_services.response_enter(
        client=world.client,
        instrument_key="phq9",
        answers=answers,
        actor=world.therapist.user,
        ip=None,
    )
    url = reverse("measures:fhir_response", args=[world.client.pk, response.pk])
    download = world.as_("therapist").get(url)
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]


class _Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = read


def _never_called(request):
    raise AssertionError("the view ran")


def test_too_large_a_body_is_refused_before_it_is_read(settings):
    settings.MAX_REQUEST_BYTES = 1024
    request = RequestFactory().post("/import/", data=b"x" * 10, content_type="text/csv")
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)
    request.META["wsgi.input"] = _Unreadable()
    response = RequestSizeLimitMiddleware(_never_called)(request)
    assert response.status_code == 413
    assert b"at most 1.0\xc2\xa0KB" in response.content
    settings.MAX_REQUEST_BYTES = 3 * 1024 * 1024
    response = RequestSizeLimitMiddleware(_never_called)(request)
    assert b"at most 3.0\xc2\xa0MB" in response.content and b"Nothing was saved" in response.content


def test_a_chunked_body_without_a_length_is_refused():
    request = RequestFactory().post("/import/", data=b"x", content_type="text/csv")
    del request.META["CONTENT_LENGTH"]
    request.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    assert RequestSizeLimitMiddleware(_never_called)(request).status_code == 411


def test_a_large_upload_through_the_whole_stack_gets_the_page(world, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    response = world.as_("therapist").post(
        reverse("community:import_upload"), {"file": io.BytesIO(b"name\n" + b"x" * 2 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert "too large to send" in response.text
    assert "Permissions-Policy" in response


def test_bodies_under_the_cap_pass(world, client):
    response = client.post(reverse("accounts:login"), {"email": "a@b.test", "password": "x"})
    assert response.status_code == 200
