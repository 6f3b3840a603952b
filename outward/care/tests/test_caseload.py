import pytest
from django.urls import reverse

from outward.care import selectors
from outward.care.models import Client
from outward.conftest import make_client, make_staff, raise_alert
from outward.seeding import seed_load

URL = "/caseload/"


def test_shows_only_the_therapists_clients(world):
    text = world.as_("therapist").get(URL).text
    assert "Casey Client" in text
    assert "Olive Other" not in text


def test_search_and_status_filter(world):
    make_client(world.therapist, "ben@client.test", "Ben Birch")
    paused = make_client(world.therapist, "pat@client.test", "Pat Paused")
    paused.status = Client.Status.PAUSED
    paused.save()
    http = world.as_("therapist")
    text = http.get(URL, {"q": "birch"}).text
    assert "Ben Birch" in text and "Casey Client" not in text
    text = http.get(URL, {"q": "casey@client"}).text
    assert "Casey Client" in text and "Ben Birch" not in text
    text = http.get(URL, {"status": "paused"}).text
    assert "Pat Paused" in text and "Casey Client" not in text
    assert "No clients match" in http.get(URL, {"q": "zzz"}).text


def test_bad_filter_values_do_not_break_the_page(world):
    response = world.as_("therapist").get(URL, {"status": "nonsense", "page": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_htmx_gets_only_the_results(world):
    response = world.as_("therapist").get(URL, {"q": "casey"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="results">')
    assert "<html" not in response.text


def test_pagination(world):
    for number in range(30):
        make_client(world.therapist, f"c{number}@client.test", f"Zed {number:02d}", joined=False)
    http = world.as_("therapist")
    first, second = http.get(URL).text, http.get(URL, {"page": 2}).text
    assert "Page 1 of 2" in first and "Zed 29" not in first
    assert "Zed 29" in second
    assert "Last session" in first


def test_last_session_date_shown(world):
    assert "2 Nov 2026" in world.as_("therapist").get(URL).text


@pytest.mark.parametrize("size", [10, 200])
def test_query_count_is_constant(db, client, size, django_assert_num_queries):
    practice = seed_load(therapists=1, clients=size, notes_per_client=2)
    client.force_login(practice.members.get().user)
    # the session with its person and their membership (one statement), count, the clients who
    # need attention, the ids of the page by name, the page's rows, and the rooms' columns: open
    # risk alerts, goals + taps and steps (one union) + contacts (the goals' cadence), last
    # check-in, rungs being practised (skills: no rungs in this seed, so no attempts are read),
    # session preps approved since each last session; the header's count of clients who need
    # attention is the first part's length. The same at 10 and at 200 clients. (No session
    # write: reading a page renews the session at most once a minute.)
    with django_assert_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.text.count('<th scope="row"><a href="/clients/') == min(size, 25)


def test_pages_follow_one_order_with_those_who_need_attention_first(world):
    """The caseload's order is read in two parts (who needs attention, the rest by name):
    paging through it gives every client once, in that order."""
    from django.core.paginator import Paginator

    for number in range(30):
        make_client(world.therapist, f"p{number}@client.test", f"Pat {number:02d}", joined=False)
    urgent = [make_client(world.therapist, f"u{n}@client.test", f"Uma {n}") for n in range(3)]
    for client in urgent:
        raise_alert(client)
    ids = [
        pk
        for number in (1, 2)
        for pk in Paginator(selectors.caseload_for_user(therapist=world.therapist), 25)
        .page(number)
        .object_list
    ]
    clients = dict(Client.objects.filter(pk__in=ids).values_list("pk", "display_name"))
    assert ids[:3] == sorted((c.pk for c in urgent), key=lambda pk: clients[pk])
    rest = ids[3:]
    assert (
        len(set(ids)) == len(ids)
        and len(ids) == Client.objects.filter(care_team__therapist=world.therapist).count()
    )
    assert [clients[pk] for pk in rest] == sorted(clients[pk] for pk in rest)


@pytest.mark.parametrize("search, status", [("", ""), ("pat", ""), ("", "paused")])
def test_walking_and_scanning_give_the_same_pages(world, monkeypatch, search, status):
    """A page is read by walking the clients in name order or by sorting the matches,
    whichever is cheaper: both give the same pages and the same count."""
    from django.core.paginator import Paginator

    for number in range(12):
        client = make_client(world.therapist, f"w{number}@client.test", f"Pat {number:02d}")
        if number % 3 == 0:
            Client.objects.filter(pk=client.pk).update(status=Client.Status.PAUSED)
    raise_alert(Client.objects.get(display_name="Pat 07"))

    def pages(walk_when):
        monkeypatch.setattr(selectors.CaseloadOrder, "WALK_WHEN_MATCHES_EXCEED_PAGE_END", walk_when)
        order = selectors.caseload_for_user(therapist=world.therapist, search=search, status=status)
        paginator = Paginator(order, 3)
        return paginator.count, [list(paginator.page(n).object_list) for n in paginator.page_range]

    walked, scanned = pages(0), pages(10**9)
    assert walked == scanned
    count, ids = walked
    assert count == len({pk for page in ids for pk in page}) > 3


def test_inactive_therapist_loses_the_caseload(world):
    from outward.care import services

    services.staff_set_active(member=world.therapist, active=False, acting=world.admin)
    assert world.as_("therapist").get(URL).status_code == 302  # signed out: user inactive


def test_admin_who_is_also_therapist_sees_clinical_pages_only_on_the_care_team(world):
    boss = make_staff(world.practice, "boss@riverside.test", "Bo Boss", is_admin=True)
    http = world.as_("therapist")
    http.force_login(boss.user)
    assert http.get(reverse("care:client_detail", args=[world.client.pk])).status_code == 404
    from outward.care import services

    services.care_team_add(client=world.client, therapist=boss, actor=boss.user, ip=None)
    assert http.get(reverse("care:client_detail", args=[world.client.pk])).status_code == 200


def test_history_restore_gets_the_whole_page(world):
    response = world.as_("therapist").get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.text
    assert "HX-Request" in response["Vary"]


def test_a_client_with_an_open_alert_comes_first_with_a_linked_badge(world):
    for number in range(30):
        make_client(world.therapist, f"a{number}@client.test", f"Abe {number:02d}", joined=False)
    zoe = make_client(world.therapist, "zoe@client.test", "Zoe Zimmer")  # page 2 by name
    http = world.as_("therapist")
    assert "Zoe Zimmer" not in http.get(URL).text
    alert = raise_alert(zoe)
    text = http.get(URL).text
    rows = text.split('<th scope="row">')
    assert "Zoe Zimmer" in rows[1]  # the first row
    alerts_url = reverse("measures:alerts", args=[zoe.pk])
    assert f'class="badge badge-urgent" href="{alerts_url}"' in rows[1]
    assert "Needs attention" in rows[1]
    # Acknowledged: back in its alphabetical place.
    from outward.measures import services as measure_services

    measure_services.alert_acknowledge(
        alert=alert, therapist=world.therapist.user, note="Phoned", ip=None
    )
    assert "Zoe Zimmer" not in http.get(URL).text


def test_room_cells_are_escaped(world, monkeypatch):
    from outward.care import happenings

    def cells(clients, now):
        return {clients[0].pk: happenings.Cell("<b>1</b> & more", url="/x/?a=1&b=2", urgent=True)}

    columns = [
        happenings.CaseloadColumn('Odd "label" <i>', cells),
        happenings.CaseloadColumn("Plain", lambda clients, now: {clients[0].pk: "<em>2</em>"}),
        happenings.CaseloadColumn("Empty", lambda clients, now: {}),
    ]
    monkeypatch.setattr(happenings, "_caseload_columns", columns)
    world.client.display_name = "Casey <Client>"
    world.client.save()
    text = world.as_("therapist").get(URL).text
    assert (
        '<td data-label="Odd &quot;label&quot; &lt;i&gt;"><a class="badge badge-urgent" '
        'href="/x/?a=1&amp;b=2">&lt;b&gt;1&lt;/b&gt; &amp; more<span class="visually-hidden">'
        " · Casey &lt;Client&gt;</span></a></td>"
    ) in text
    assert '<td data-label="Plain">&lt;em&gt;2&lt;/em&gt;</td>' in text
    assert '<td data-label="Empty">—</td>' in text
    assert "<b>" not in text and "<em>" not in text and "<Client>" not in text


def test_header_counts_clients_who_need_attention_on_every_page(world):
    http = world.as_("therapist")
    assert "client needs attention" not in http.get(reverse("accounts:account")).text
    raise_alert(world.client)
    for url in [reverse("accounts:account"), reverse("community:directory"), URL]:
        assert "1 client needs attention" in http.get(url).text
    # Not for a colleague who is not on the care team, nor for the admin.
    assert "client needs attention" not in world.as_("colleague").get(URL).text
    assert "client needs attention" not in world.as_("admin").get(reverse("care:practice")).text


def test_header_count_is_one_query_made_only_when_a_page_shows_it(world, django_assert_num_queries):
    from outward.care import selectors

    raise_alert(world.client)
    raise_alert(world.client)  # two alerts, one client
    make_client(world.therapist, "calm@client.test", "Calm Client")
    with django_assert_num_queries(1):
        membership = selectors.membership_for_user(user=world.therapist.user)
        assert membership.practice.name
    with django_assert_num_queries(1):
        assert selectors.attention_count(membership=membership) == 1
    colleague = selectors.membership_for_user(user=world.colleague.user)
    assert selectors.attention_count(membership=colleague) == 0
    http = world.as_("therapist")
    http.get("/healthz/")
    # The session, read with its person and their membership: no count, no write.
    with django_assert_num_queries(1):
        assert http.get("/healthz/").status_code == 200
