"""Synthetic practices: a small demo to click through, and bulk load data for scale tests.
Every name here is invented."""

import datetime
import random
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from outward.accounts.models import User
from outward.care import closures, happenings
from outward.care import services as care_services
from outward.care.models import CareTeamMember, Client, Membership, Practice, SessionNote
from outward.care.records import Visibility
from outward.community import services as community_services
from outward.community.imports import services as import_services
from outward.community.interests import services as interest_services
from outward.community.models import Area, Interest, Plan, Resource
from outward.community.plans import services as plan_services
from outward.goals import services as goal_services
from outward.goals.models import Goal, Step
from outward.goals.starting_points import starting_point
from outward.journal import services as journal_services
from outward.journal.models import CheckIn, Contact, MapSnapshot, Person
from outward.lib.periods import local_date
from outward.measures import services as measure_services
from outward.measures.models import Response
from outward.reports import selectors as report_selectors
from outward.reports import services as report_services
from outward.reports.models import ProgressReport
from outward.skills import library, scenarios
from outward.skills import services as skill_services
from outward.skills.models import Exposure, Rehearsal, Rung
from outward.skills.roleplay import services as roleplay_services
from outward.skills.starters import services as starter_services

DEMO_PASSWORD = "outward-demo"
DEMO_PRACTICE = "Harbour Lane Therapy (demo)"
DEMO_TIME_ZONE = "Europe/London"

_FIRST = [
    "Alex",
    "Sam",
    "Jordan",
    "Robin",
    "Morgan",
    "Casey",
    "Riley",
    "Jamie",
    "Avery",
    "Quinn",
    "Rowan",
    "Sasha",
    "Kit",
    "Noor",
    "Ines",
    "Tomas",
    "Mina",
    "Luca",
    "Priya",
    "Femi",
]
_LAST = [
    "Ash",
    "Birch",
    "Cedar",
    "Elm",
    "Fern",
    "Hazel",
    "Juniper",
    "Larch",
    "Maple",
    "Oak",
    "Pine",
    "Rowan",
    "Sorrel",
    "Willow",
    "Yew",
]
_DEMO_REPORT_SUMMARY = (
    "You have kept going with your check-ins and reached out to people most weeks. "
    "Next, we will plan a first visit to the board-games evening together."
)

_NOTES = [
    "Talked through the week. Client described a short conversation with a neighbour as going "
    "better than expected.",
    "Explored what makes group settings hard. Agreed to keep noticing predictions before events.",
    "Reviewed sleep and routine. Client wants to try a weekly activity with low pressure to talk.",
]


def _activate(user: User) -> None:
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])


@transaction.atomic
def seed_demo_practice() -> list[tuple[str, str]]:
    """The demo practice (made once): 1 admin, 2 therapists, 10 clients. Returns the logins."""
    practice = Practice.objects.filter(name=DEMO_PRACTICE).first()
    if practice is None:
        _build_demo(care_services.practice_create(name=DEMO_PRACTICE, time_zone=DEMO_TIME_ZONE))
    members = Membership.objects.filter(practice__name=DEMO_PRACTICE).select_related("user")
    logins = [
        ("practice admin" if m.is_admin else "therapist", m.user.email)
        for m in members.order_by("-is_admin", "pk")
    ]
    client = Client.objects.filter(practice__name=DEMO_PRACTICE, user__is_active=True).first()
    return [*logins, ("client", client.user.email)]


def _build_demo(practice: Practice) -> None:
    admin_user = User.objects.create_user(
        "admin@demo.outward.test", DEMO_PASSWORD, full_name="Ada Okafor", time_zone=DEMO_TIME_ZONE
    )
    admin = Membership.objects.create(
        user=admin_user, practice=practice, is_therapist=False, is_admin=True
    )
    therapists = []
    for name, email in [("Maya Lindqvist", "maya"), ("Daniel Reyes", "daniel")]:
        member, _token = care_services.staff_invite(
            practice=practice,
            invited_by=admin.user,
            email=f"{email}@demo.outward.test",
            full_name=name,
        )
        _activate(member.user)
        therapists.append(member)
    _demo_directory(practice)
    _demo_council_list(practice, therapists[0])
    practice_scenario = _demo_practice_scenario(practice, therapists[0])
    today = timezone.localdate()
    for number in range(10):
        therapist = therapists[number % 2]
        name = f"{_FIRST[number]} {_LAST[number]}"
        client = care_services.client_create(
            therapist=therapist,
            email=f"{_FIRST[number].lower()}@demo.outward.test",
            display_name=name,
            ip=None,
        )
        if number < 7:  # Most clients have joined the portal; three still have an open link.
            _activate(client.user)
        else:
            care_services.client_invitation_create(client=client, actor=therapist.user, ip=None)
        if number == 8:
            care_services.client_update(
                client=client,
                actor=therapist.user,
                display_name=name,
                status=Client.Status.PAUSED,
                ip=None,
            )
        if number < 4:
            _demo_goals_and_journal(client, therapist, number)
            _demo_measures(client, therapist, number)
            community_services.profile_save(
                client=client,
                actor=therapist.user,
                interests={
                    Interest.objects.get(key="games"): 3,
                    Interest.objects.get(key="board-games"): 3,
                    Interest.objects.get(key="books-and-writing"): 2,
                },
                free_windows=[(3, datetime.time(18), datetime.time(22))],
                ip=None,
                free_text="I used to love sci-fi, board games and knitting",
                area=Area.objects.get(practice=client.practice, name="Harbour Lane"),
                max_travel_km=5,
                budget_per_session=10,
                mode="either",
                accessibility_needs="",
            )
        if number < len(_DEMO_LADDERS):
            _demo_ladder(client, therapist, _DEMO_LADDERS[number])
            _demo_thought_records(client, _DEMO_THOUGHTS[number])
            _demo_reflections(client, therapist, _DEMO_REFLECTIONS[number])
            _demo_map(client, _DEMO_PEOPLE[number])
        if number < len(_DEMO_REHEARSALS):  # Alex and Sam have rehearsed
            _demo_rehearsals(client, therapist, _DEMO_REHEARSALS[number], practice_scenario)
        if number < len(_DEMO_STARTERS):
            _demo_starters(client, therapist, *_DEMO_STARTERS[number])
        for weeks_ago, text in enumerate(_NOTES[: 1 + number % 3]):
            care_services.session_note_create(
                client=client,
                author=therapist.user,
                session_date=today - datetime.timedelta(weeks=weeks_ago + 1, days=number % 5),
                text=text,
                ip=None,
            )
        if number == 0:  # the demo client's login: a report made for them, under Me
            report_services.progress_report_request(
                client=client,
                actor=therapist.user,
                version=ProgressReport.Version.CLIENT,
                period_start=today - datetime.timedelta(days=91),
                period_end=today,
                sections=["goals", "activities", "journal", "wins", "summary"],
                summary=_DEMO_REPORT_SUMMARY,
                ip=None,
            )
        if number < 2:
            _demo_reflection(client, number)


def _demo_reflection(client: Client, number: int) -> None:
    """Enough weeks of check-ins and outings for two pattern insights (loneliness in weeks of
    meeting people; the day they go to things), one shared; and "Before we meet": approved by
    the first client with one item taken out and one of their own added, not yet by the
    second."""
    zone = client.user.time_zone
    today = local_date(timezone.now(), zone)
    for weeks_ago in range(4, 12):
        monday = today - datetime.timedelta(days=today.weekday(), weeks=weeks_ago)
        thursday_evening = datetime.datetime.combine(
            monday + datetime.timedelta(days=3), datetime.time(19), tzinfo=ZoneInfo(zone)
        )
        busy = weeks_ago % 2 == 0
        if weeks_ago < 10:
            journal_services.check_in_create(
                client=client,
                author=client.user,
                ip=None,
                occurred=thursday_evening + datetime.timedelta(days=2),
                mood=6 if busy else 4,
                loneliness=3 + weeks_ago % 3 if busy else 6 + weeks_ago % 2,
                meaningful_interactions=2 if busy else 1,
                in_person=2 if busy else 0,
                online=0 if busy else 1,
            )
        if busy or weeks_ago >= 10:
            journal_services.contact_log(
                client=client,
                author=client.user,
                ip=None,
                kind="event",
                with_whom="Board games night",
                quality=4,
                occurred=thursday_evening,
            )
        if busy:
            journal_services.contact_log(
                client=client,
                author=client.user,
                ip=None,
                kind="met_up",
                with_whom="Sam",
                quality=3,
                occurred=thursday_evening - datetime.timedelta(days=2),
            )
    journal_services.insight_share_set(
        client=client, actor=client.user, rule="outing_day", shared=True, ip=None
    )
    if number == 0:
        since = report_selectors.prep_since(client=client)
        draft = report_selectors.prep_draft(client=client, since=since, now=timezone.now())
        report_services.session_prep_approve(
            client=client,
            actor=client.user,
            since=since,
            items=draft[1:],
            removed=min(1, len(draft)),
            agenda=["How to keep going to games night when I am tired"],
            ip=None,
        )
        if number == 6:  # the admin has a request to close an account to decide on
            closures.closure_request(
                client=client,
                actor=client.user,
                note="I'm moving abroad and starting with a new therapist there.",
                ip=None,
            )


def _demo_goals_and_journal(client: Client, therapist: Membership, number: int) -> None:
    """A few weeks of synthetic use: a goal from a starting point, steps (one planned for
    today), check-ins, contacts, a review and an acknowledged win."""
    start = starting_point(["reach_out", "event", "neighbour", "class"][number])
    goal = goal_services.goal_create(
        client=client,
        author=therapist.user,
        ip=None,
        **start,
        gas_0="Done most weeks, with some effort",
        gas_plus1="Done every time, and it felt easier",
    )
    # An earlier goal, reached: it folds away under the goals being worked on.
    goal_services.goal_create(
        client=client,
        author=client.user,
        ip=None,
        title="Say good morning to the neighbours on my floor",
        status=Goal.Status.ACHIEVED,
        steps=["Say it to one neighbour", "Say it to everyone I meet for a week"],
    )
    steps = list(goal.steps.order_by("position"))
    goal_services.step_complete(step=steps[0], actor=client.user, ip=None)
    Step.objects.filter(pk=steps[1].pk).update(scheduled_for=timezone.localdate())
    now = timezone.now()
    for weeks_ago in (3, 2, 1):
        journal_services.check_in_create(
            client=client,
            author=client.user,
            ip=None,
            occurred=now - datetime.timedelta(weeks=weeks_ago),
            mood=4 + weeks_ago % 3 + (3 - weeks_ago),
            loneliness=7 - (3 - weeks_ago),
            meaningful_interactions=1 + (3 - weeks_ago),
            in_person=1,
            online=3 - weeks_ago,
            win="Chatted with the barista" if weeks_ago == 1 else "",
        )
    journal_services.contact_log(
        client=client,
        author=client.user,
        ip=None,
        kind="reached_out",
        with_whom="Sam",
        quality=4,
        occurred=now - datetime.timedelta(days=2),
    )
    goal_services.goal_review(
        goal=goal,
        author=therapist.user,
        reviewed_on=timezone.localdate() - datetime.timedelta(days=7),
        level=number % 3 - 1,
        note="",
        ip=None,
    )
    win = goal_services.win_create(
        client=client, author=client.user, text="Went for a walk with a neighbour", ip=None
    )
    goal_services.win_acknowledge(
        win=win, therapist=therapist.user, message="That took courage — well done.", ip=None
    )


# (name, kind, interest labels, km east, km north, weekday, hour, cost, intensity, online)
_DEMO_RESOURCES = [
    (
        "Harbour Library board games night",
        "group",
        ["Games", "Board games"],
        0.8,
        0.4,
        3,
        19,
        0,
        1,
        False,
    ),
    (
        "Tuesday pottery for beginners",
        "class",
        ["Pottery and ceramics"],
        -1.5,
        1.0,
        1,
        18,
        12,
        1,
        False,
    ),
    (
        "Riverside walking group",
        "group",
        ["Nature and outdoors", "Walking"],
        1.2,
        -0.6,
        5,
        10,
        0,
        2,
        False,
    ),
    ("Community choir", "group", ["Music", "Choirs and singing"], 2.5, 2.0, 2, 19, 3, 2, False),
    ("Book club at the Anchor café", "club", ["Book clubs"], 0.3, -1.1, 4, 18, 0, 3, False),
    (
        "Language café (Spanish and English)",
        "group",
        ["Languages and cultures", "Language exchange"],
        -0.7,
        0.2,
        2,
        18,
        2,
        4,
        False,
    ),
    ("Food bank volunteers", "group", ["Food banks"], 3.5, -2.0, 6, 11, 0, 2, False),
    ("Beginners' badminton", "club", ["Badminton"], -2.8, -0.5, 0, 19, 5, 2, False),
    ("Sci-fi readers online", "online", ["Books and writing"], None, None, 6, 20, 0, 2, True),
    ("Networking mixer", "event", ["Learning"], 0.1, 0.1, 4, 18, 8, 5, False),
    ("Harbour chess club", "club", ["Chess"], 0.6, 0.9, 1, 19, 2, 1, False),
    # Untagged on purpose: found by the words in its name ("knitting" finds "Knitters").
    ("Northside Knitters", "group", [], 1.8, 1.4, 0, 14, 0, 2, False),
    (
        "Dungeons & Dragons for beginners",
        "group",
        ["Tabletop role-playing"],
        -0.4,
        0.6,
        5,
        15,
        0,
        3,
        False,
    ),
]


# Entries as most real directories have them: an address and postcode, no coordinates
# (name, kind, interests, address, postcode, weekday, hour, cost, intensity or None).
_DEMO_UNPLACED = [
    ("Harbour repair café", "group", ["Technology"], "Quay Hall, Harbour Lane", "", 5, 10, 0, 1),
    ("Riverside chess circle", "club", ["Games"], "The Lock Inn", "RV2 7QT", 1, 19, 0, None),
    (
        "Hilltop sketching group",
        "group",
        ["Arts and crafts"],
        "4 Summit Road",
        "HT1 3AA",
        3,
        14,
        2,
        1,
    ),
    # No area lists this town: it shows on the "needs a location" page.
    (
        "Marshfield walking group",
        "group",
        ["Nature and outdoors"],
        "Marshfield",
        "",
        6,
        10,
        0,
        None,
    ),
]


def _demo_directory(practice: Practice) -> None:
    """Areas (centroids, and the postcodes and places they cover) and a small synthetic
    directory around the practice, some entries only with an address and postcode."""
    lat0, lon0 = 51.5072, -0.1276
    for name, north, east, postcodes, places in [
        ("Harbour Lane", 0, 0, "HL1, HL2", "Harbour Lane, Quayside"),
        ("Riverside", 1.5, -2, "RV1, RV2", "Riverside"),
        ("Hilltop", -2, 2.5, "HT1", "Hilltop"),
    ]:
        Area.objects.create(
            practice=practice,
            name=name,
            latitude=lat0 + north / 111.0,
            longitude=lon0 + east / 69.4,
            postcodes=postcodes,
            places=places,
        )
    for name, kind, labels, address, postcode, weekday, hour, cost, intensity in _DEMO_UNPLACED:
        _demo_resource(
            practice,
            (name, kind, labels, weekday, hour, cost, intensity),
            online=False,
            address=address,
            postcode=postcode,
        )
    # A word the demo practice's clients use that Outward does not know.
    interest_services.synonym_add(
        practice=practice, phrase="crafternoon", interest_key="knitting-and-crochet"
    )
    for name, kind, labels, east, north, weekday, hour, cost, intensity, online in _DEMO_RESOURCES:
        _demo_resource(
            practice,
            (name, kind, labels, weekday, hour, cost, intensity),
            online=online,
            latitude=None if online else lat0 + north / 111.0,
            longitude=None if online else lon0 + east / 69.4,
        )


def _demo_resource(practice: Practice, entry: tuple, **place) -> None:
    """One synthetic directory entry meeting weekly for two hours; `place` says where."""
    name, kind, labels, weekday, hour, cost, intensity = entry
    community_services.resource_save(
        practice=practice,
        interests=list(Interest.objects.filter(label__in=labels)),
        name=name,
        description=f"{name}: a friendly, synthetic demo entry.",
        kind=kind,
        weekday=weekday,
        start_time=datetime.time(hour, 0),
        end_time=datetime.time(hour + 2, 0),
        cost_per_session=cost,
        social_intensity=intensity,
        last_verified=timezone.localdate(),
        **place,
    )


# A council's list as a spreadsheet exports it (synthetic): its own column names, no ids,
# opening times as text (one that is not weekly, kept in the description), and categories
# Outward does not know (kept as tags).
_DEMO_COUNCIL_CSV = (
    "Organisation;Type;Postcode;Opening times;Phone;Categories\r\n"
    "Harbour Men's Shed;Drop-in;E1 6AN;Wednesdays 10am-1pm;020 7946 0001;Woodwork, Volunteering\r\n"
    "Hilltop Repair Café;Group;E2 7DG;1st Saturday of the month 10am;;Repair, Volunteering\r\n"
)


def _demo_council_list(practice: Practice, therapist) -> None:
    """The council's list, imported the way a practice would: preview, then apply."""
    pending = import_services.import_preview(
        practice=practice,
        kind=Resource.Source.CSV,
        uploaded_file=SimpleUploadedFile("council-groups.csv", _DEMO_COUNCIL_CSV.encode()),
        actor=therapist.user,
    )
    if pending.state == pending.State.QUEUED:  # read now, not when a worker comes by
        import_services.read_import.call(pending_id=pending.pk)
        pending.refresh_from_db()
    import_services.import_apply(pending=pending, actor=therapist.user)


# Two fear ladders, part-way climbed: (title, rungs). A rung is (kind, what, SUDS, status):
# "typed" words, a "library" example's key, or a "resource" named in the demo directory.
_DONE, _PRACTISING, _NOT_TRIED = Rung.Status.DONE, Rung.Status.PRACTISING, Rung.Status.NOT_TRIED
_DEMO_LADDERS = [
    (
        "Meeting new people",
        [
            ("library", "meeting-smile", 15, _DONE),
            ("typed", "Say good morning to the person at the corner shop till", 20, _DONE),
            ("library", "meeting-small-talk", 25, _PRACTISING),
            ("library", "meeting-name", 40, _NOT_TRIED),
            ("resource", "Harbour Library board games night", 45, _NOT_TRIED),
            (
                "typed",
                "Ask someone from games night if they would like a coffee before the next one",
                75,
                _NOT_TRIED,
            ),
        ],
    ),
    (
        "Speaking up in groups",
        [
            ("typed", "Say hello to the group when I arrive at book club", 30, _DONE),
            ("typed", "Say which book I would like to read next when asked", 50, _NOT_TRIED),
            ("library", "work-question", 60, _NOT_TRIED),
            ("library", "groups-speak", 70, _NOT_TRIED),
        ],
    ),
]


def _demo_ladder(client: Client, therapist: Membership, ladder_spec) -> None:
    """A fear ladder made with the therapist in session, the first steps climbed by the client."""
    title, rungs = ladder_spec
    ladder = skill_services.ladder_create(
        client=client, author=therapist.user, title=title, ip=None
    )
    directory = happenings.rung_source(Rung.Source.RESOURCE)
    for kind, what, suds, status in rungs:
        source, source_ref, situation = Rung.Source.TYPED, "", what
        if kind == "library":
            example = library.situation(what)
            source, source_ref, situation = Rung.Source.LIBRARY, f"library:{what}", example.text
        elif kind == "resource":
            idea = directory.ideas(client=client, viewer=therapist.user, query=what)[0]
            source, source_ref, situation = Rung.Source.RESOURCE, idea.ref, idea.text
        rung = skill_services.rung_add(
            client=client,
            ladder=ladder,
            author=therapist.user,
            situation=situation,
            expected_suds=suds,
            source=source,
            source_ref=source_ref,
            ip=None,
        )
        if status != Rung.Status.NOT_TRIED:
            skill_services.rung_update(
                rung=rung,
                actor=client.user,
                situation=rung.situation,
                expected_suds=rung.expected_suds,
                status=status,
                ip=None,
            )
        if status == Rung.Status.PRACTISING:
            _demo_attempt(client, rung)


def _demo_attempt(client: Client, rung: Rung) -> None:
    """One attempt at the rung being practised, logged by the client a few days ago."""
    skill_services.exposure_log(
        rung=rung,
        author=client.user,
        ip=None,
        occurred=timezone.now() - datetime.timedelta(days=3),
        prediction="I will go red, say something odd, and they will look away.",
        likelihood=70,
        expected_suds=rung.expected_suds + 15,
        safety_behaviours="Looking at my phone while I wait",
        suds_start=40,
        suds_peak=45,
        suds_end=20,
        what_happened="I said the queue was slow today; she laughed and agreed.",
        came_true=Exposure.CameTrue.NO,
        learned="It was over in a minute and nobody minded.",
    )


# A few thought records each, written by the client: (thought, situation, emotions as
# (name, rating, re-rating), traps, balanced thought, kept private).
_DEMO_THOUGHTS = [
    [
        (
            "They will think I am boring and wish I had not sat with them.",
            "Sitting down next to two people before the board games started",
            [("Anxious", 70, 40), ("Embarrassed", 50, 30)],
            ["mind_reading", "fortune_telling"],
            "I do not know what they think. One of them asked me to join the next game.",
            False,
        ),
        (
            "If I stumble over my words everyone will notice and it will be awful.",
            "Waiting to order at the café counter",
            [("Nervous", 60, 35)],
            ["catastrophising"],
            "People stumble over words all the time; the barista barely looked up.",
            True,
        ),
    ],
    [
        (
            "Everyone else at book club has something clever to say. I never do.",
            "The walk home after book club",
            [("Down", 55, 40)],
            ["all_or_nothing", "discounting_positive"],
            "I said hello and asked one question, and someone answered warmly. That counts.",
            False,
        ),
    ],
]


# The reflection journal of the two clients with ladders: (days ago, prompt, went well, was
# hard, learned, try next, free writing, kept private). An entry "after" is about the client's
# latest practice attempt.
_DEMO_REFLECTIONS = [
    [
        (
            3,
            "after",
            "I said something first, and she laughed with me.",
            "The minute before I spoke, my heart was racing.",
            "The fear peaks before I start, not while I am talking.",
            "Say something to the person behind me in the queue.",
            "",
            False,
        ),
        (
            9,
            "free",
            "",
            "",
            "",
            "",
            "A quiet week. I miss having someone to ring on a Sunday.",
            True,
        ),
        (
            20,
            "look_back",
            "Two board games nights in a row.",
            "Leaving early the second time.",
            "I enjoy it more once someone knows my name.",
            "Stay until the end once.",
            "",
            False,
        ),
    ],
    [
        (
            5,
            "after",
            "I asked one question at book club.",
            "Waiting for a gap in the talk.",
            "People were glad I spoke.",
            "Share one thought about the book next time.",
            "",
            False,
        ),
    ],
]

# Each client's people: (name, circle, role, how often in touch, kept private, where they
# were five weeks ago: a circle, or None when they were not on the map yet).
_DEMO_PEOPLE = [
    [
        ("Mum", 1, "family", "weekly", False, 1),
        ("Sam", 2, "friend", "weekly", False, 3),
        ("Priya (board games)", 2, "group", "weekly", False, None),
        ("Mr Okoye next door", 3, "neighbour", "weekly", False, None),
        ("Jordan", 3, "friend", "lost", True, 2),
        ("Sci-fi readers forum", 3, "online", "weekly", False, 3),
    ],
    [
        ("Lena", 1, "partner", "most_days", False, 1),
        ("Book club", 3, "group", "monthly", False, None),
        ("Tom from work", 2, "colleague", "weekly", False, 2),
        ("My brother", 2, "family", "monthly", False, 3),
    ],
]


def _demo_reflections(client: Client, therapist: Membership, entries) -> None:
    """A look back asked for monthly, and a few entries: one after the latest attempt."""
    journal_services.reflection_cadence_set(
        client=client, actor=therapist.user, every_days=30, ip=None
    )
    attempt = Exposure.objects.filter(client=client, occurred__isnull=False).order_by("-occurred")
    latest = attempt.select_related("rung").first()
    for days_ago, prompt, well, hard, learned, try_next, free, private in entries:
        about = latest if prompt == "after" else None
        journal_services.reflection_write(
            client=client,
            author=client.user,
            ip=None,
            occurred=timezone.now() - datetime.timedelta(days=days_ago),
            prompt="free" if prompt == "after" and about is None else prompt,
            about=f"skills.exposure:{about.pk}" if about else "",
            about_title=about.rung.situation if about else "",
            went_well=well,
            was_hard=hard,
            learned=learned,
            try_next=try_next,
            free_text=free,
            visibility=Visibility.PRIVATE if private else Visibility.SHARED,
        )


def _demo_map(client: Client, people) -> None:
    """The map as it stands (through the services: today's snapshot), and the map five weeks
    ago as an earlier snapshot, so the history has a change to show in words."""
    earlier = []
    for name, circle, role, touch, private, then in people:
        person = journal_services.person_add(
            client=client,
            author=client.user,
            ip=None,
            name=name,
            circle=circle,
            role=role,
            touch=touch,
            visibility=Visibility.PRIVATE if private else Visibility.SHARED,
        )
        if then is not None:
            was_touch = Person.Touch.WEEKLY if touch == Person.Touch.LOST else touch
            earlier.append({"person": person.pk, "circle": then, "role": role, "touch": was_touch})
    MapSnapshot.objects.create(
        client=client,
        author=client.user,
        day=local_date(timezone.now(), client.user.time_zone) - datetime.timedelta(weeks=5),
        people=earlier,
    )


def _demo_thought_records(client: Client, records) -> None:
    for thought, situation, emotions, traps, balanced, private in records:
        skill_services.thought_record_create(
            client=client,
            author=client.user,
            ip=None,
            automatic_thought=thought,
            situation=situation,
            emotions=[
                {"name": name, "intensity": rating, "rerated": rerated}
                for name, rating, rerated in emotions
            ],
            traps=traps,
            balanced_thought=balanced,
            visibility=Visibility.PRIVATE if private else Visibility.SHARED,
        )


def _demo_practice_scenario(practice: Practice, therapist: Membership):
    """One role-play scenario the demo practice wrote for itself (Markdown in its long fields)."""
    return roleplay_services.practice_scenario_create(
        practice=practice,
        author=therapist.user,
        title="Asking to join a table at the quiz night",
        setting="club",
        intensity=4,
        situation="The pub quiz starts in ten minutes. Teams of up to six; you came **alone**.",
        aim="Ask a team with a free seat whether you can join them.",
        role_card="You captain a team of four regulars. You could use someone who knows films.",
        warm="You wave them over and ask what they are good at.",
        neutral="You say they can sit down, and carry on sorting the answer sheet.",
        busy="You are at the bar ordering; you say 'ask the others, fine by me'.",
        opening_lines="Hi, I'm on my own tonight. Any room on your team?\n"
        "Do you need one more? I'm decent at films.",
        debrief_questions="What did you expect them to say?\nWhat did they say?",
    )


# Rehearsals for the first demo clients: (scenario key or "practice", days ago, in session,
# confidence before, after, what went well, next time).
_DEMO_REHEARSALS = [
    [
        ("first-class-arrival", 20, True, 3, 5, "Said hello first", "Ask a question back"),
        ("first-class-arrival", 16, False, 4, 6, "", "Smile before I speak"),
        ("join-a-conversation", 9, True, 2, 5, "Waited for a pause", "Step a little closer"),
        ("practice", 4, False, 4, 7, "", "Say what I'm good at"),
    ],
    [
        ("reconnect-by-message", 12, False, 3, 6, "", "Mention the school trip"),
        ("say-no-kindly", 5, True, 4, 7, "Offered an hour instead", "Say it without sorry"),
    ],
]


def _demo_rehearsals(client: Client, therapist: Membership, rehearsals, scenario) -> None:
    now = timezone.now()
    for key, days_ago, in_session, before, after, went_well, next_time in rehearsals:
        key, setting = (
            (scenario.key, scenario.setting) if key == "practice" else (key, _setting_of(key))
        )
        roleplay_services.rehearsal_record(
            client=client,
            author=therapist.user if in_session else client.user,
            ip=None,
            mode=Rehearsal.Mode.IN_SESSION if in_session else Rehearsal.Mode.ALONE,
            scenario_key=key,
            setting=setting,
            occurred=now - datetime.timedelta(days=days_ago),
            roles=Rehearsal.Role.BOTH if in_session else "",
            seconds=420 if in_session else None,
            times_said=0 if in_session else 3,
            confidence_before=before,
            confidence_after=after,
            went_well=went_well,
            next_time=next_time,
        )


def _setting_of(key: str) -> str:
    return scenarios.library()[key].setting


# Conversation starters for Alex and Sam: (favourite keys, a starter rehearsed alone with its
# confidence before and after, the club starter used at games night or None). Alex's practice
# also wrote one starter, which Alex keeps as a favourite.
_DEMO_PRACTICE_STARTER = ("Is this seat free? I'm new and still learning the rules.", "club", 1)
_DEMO_STARTERS = [
    (["club-new-here", "club-favourite-here", "practice"], ("club-new-here", 3, 6), True),
    (["work-lunch-place", "neighbours-lovely-morning"], ("work-lunch-place", 4, 5), False),
]


def _demo_starters(client: Client, therapist: Membership, favourites, rehearsed, used) -> None:
    """Favourites, a starter rehearsed alone a few days ago and, for Alex, games night last
    week, where the favourite opening line was said and worked, and the next one planned."""
    keys = list(favourites)
    if "practice" in keys:
        text, setting, openness = _DEMO_PRACTICE_STARTER
        made = starter_services.practice_starter_add(
            practice=client.practice,
            author=therapist.user,
            text=text,
            setting=setting,
            openness=openness,
        )
        keys[keys.index("practice")] = made.key
    for key in keys:
        starter_services.favourite_set(
            client=client, actor=client.user, key=key, favourite=True, ip=None
        )
    key, before, after = rehearsed
    rehearsal = starter_services.starter_rehearse(
        client=client,
        author=client.user,
        key=key,
        times_said=3,
        confidence_before=before,
        confidence_after=after,
        next_time="Smile first, then say it a little slower",
        ip=None,
    )
    Rehearsal.objects.filter(pk=rehearsal.pk).update(
        occurred=timezone.now() - datetime.timedelta(days=4)
    )
    if not used:
        return
    games_night = Resource.objects.get(
        practice=client.practice, name="Harbour Library board games night"
    )
    plan = plan_services.plan_create(
        client=client,
        resource=games_night,
        when=timezone.now() + datetime.timedelta(hours=1),
        author=client.user,
        ip=None,
        opening_line_key=key,
        predicted_anxiety=60,
    )
    # Planned before last week's meeting, reported after it.
    Plan.objects.filter(pk=plan.pk).update(when=timezone.now() - datetime.timedelta(days=6))
    plan.refresh_from_db()
    plan_services.plan_report(
        plan=plan,
        went=True,
        actor=client.user,
        ip=None,
        actual_anxiety=35,
        enjoyment=7,
        talked_to_someone=True,
        opening_line_used=True,
        opening_line_worked=True,
    )
    # And this week's, coming up: the client's Today and the therapist's Overview show it.
    plan_services.plan_create(
        client=client,
        resource=games_night,
        when=timezone.now() + datetime.timedelta(days=1),
        author=client.user,
        ip=None,
        opening_line_key=key,
        predicted_anxiety=45,
    )


def _demo_measures(client: Client, therapist: Membership, number: int) -> None:
    """PHQ-9 given in session a month ago and two weeks ago (falling scores), due again."""
    for weeks_ago, level in ((4, 2), (2, 1)):
        response = measure_services.response_enter(
            client=client,
            instrument_key="phq9",
            answers={str(item): level if item <= 6 - number else 0 for item in range(1, 10)},
            actor=therapist.user,
            ip=None,
        )
        Response.objects.filter(pk=response.pk).update(
            completed=timezone.now() - datetime.timedelta(weeks=weeks_ago)
        )
    measure_services.assignment_create(
        client=client,
        actor=therapist.user,
        instrument_key="phq9",
        every_days=14,
        first_due=timezone.localdate(),
        ip=None,
    )


@transaction.atomic
def seed_load(
    *, therapists: int, clients: int, notes_per_client: int = 3, seed: int = 1
) -> Practice:
    """A practice of `therapists` therapists sharing `clients` clients round-robin, written in
    bulk (bypassing the services, which would audit every row) so that large sizes stay quick."""
    rng = random.Random(seed)
    stamp = timezone.now()
    practice = care_services.practice_create(
        name=f"Load practice {stamp:%Y%m%d%H%M%S%f}", time_zone="America/New_York"
    )
    tag = practice.pk
    staff_password = make_password(DEMO_PASSWORD)
    staff_users = User.objects.bulk_create(
        User(
            email=f"therapist{n}.p{tag}@load.outward.test",
            full_name=f"Therapist {n}",
            password=staff_password,
        )
        for n in range(therapists)
    )
    members = Membership.objects.bulk_create(
        Membership(user=user, practice=practice) for user in staff_users
    )
    client_users = User.objects.bulk_create(
        User(
            email=f"client{n}.p{tag}@load.outward.test",
            full_name=f"Client {n}",
            password=make_password(None),
            is_active=False,
        )
        for n in range(clients)
    )
    statuses = [Client.Status.ACTIVE] * 8 + [Client.Status.PAUSED, Client.Status.DISCHARGED]
    client_rows = Client.objects.bulk_create(
        Client(
            practice=practice,
            user=user,
            display_name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            status=rng.choice(statuses),
        )
        for user in client_users
    )
    CareTeamMember.objects.bulk_create(
        CareTeamMember(client=client, therapist=members[n % therapists])
        for n, client in enumerate(client_rows)
    )
    today = timezone.localdate()
    SessionNote.objects.bulk_create(
        (
            SessionNote(
                client=client,
                author=staff_users[n % therapists],
                session_date=today - datetime.timedelta(days=7 * week + rng.randrange(7)),
                text=rng.choice(_NOTES),
            )
            for n, client in enumerate(client_rows)
            for week in range(notes_per_client)
        ),
        batch_size=1000,
    )
    Goal.objects.bulk_create(
        Goal(
            client=client,
            author=staff_users[n % therapists],
            title="Reach out to a friend weekly",
            cadence_count=1,
            cadence_period=Goal.Period.WEEK,
            counts_kind="journal.contact.reached_out",
        )
        for n, client in enumerate(client_rows)
    )
    now = timezone.now()
    CheckIn.objects.bulk_create(
        (
            CheckIn(
                client=client,
                author=client.user,
                occurred=occurred,
                day=local_date(occurred, client.user.time_zone),
                mood=rng.randrange(11),
                loneliness=rng.randrange(11),
                meaningful_interactions=2,
                in_person=1,
                online=1,
            )
            for client in client_rows
            for week in range(notes_per_client)
            # Weeks apart, so never two on one day (one check-in per client per day).
            for occurred in [now - datetime.timedelta(days=7 * week + rng.randrange(7))]
        ),
        batch_size=1000,
    )
    Contact.objects.bulk_create(
        (
            Contact(
                client=client,
                author=client.user,
                occurred=now - datetime.timedelta(days=rng.randrange(21)),
                kind=rng.choice(Contact.Kind.values),
            )
            for client in client_rows
            for _contact in range(notes_per_client)
        ),
        batch_size=1000,
    )
    return practice
