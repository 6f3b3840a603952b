from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "outward.skills"
    verbose_name = _("Skills")

    def ready(self):
        from outward.care import happenings

        from . import library, scenarios, selectors
        from .roleplay import selectors as roleplay
        from .starters import library as starter_library
        from .starters import selectors as starter_selectors

        library.areas()  # a broken examples file stops start-up, naming the file
        scenarios.library()  # and so does a broken scenarios file
        starter_library.bank()  # or a broken starters file
        happenings.register_exposure_level(selectors.exposure_level)

        # After Groups (25) and before Journal (30): the client's fourth bottom-bar place
        # (DESIGN: Today, Goals, Groups, Practice, Journal; "Me" is the account link).
        happenings.register_client_tab(happenings.Place("skills", _("Skills"), "skills:skills", 27))
        happenings.register_portal_place(
            happenings.Place("skills", _("Practice"), "skills:my_skills", 27, app="skills")
        )

        # Lessons: an unread lesson is "A short read" on the client's Today.
        happenings.register_due_provider(selectors.lessons_due, probe=selectors.lessons_unread)
        happenings.register_practice_notices(selectors.lesson_setup_notices)
        happenings.register_link(
            "practice",
            happenings.Place("lessons", _("Practice lessons"), "skills:practice_lessons", 10),
        )
        happenings.register_link(
            "practice",
            happenings.Place(
                "thoughts", _("Thought records: default sharing"), "skills:thought_settings", 20
            ),
        )

        # Thought records: one can be started any time from Today, or after a missed plan.
        happenings.register_link(
            "missed_plan",
            happenings.Place(
                "thought", _("Work through it in a thought record"), "skills:thought_create", 10
            ),
        )
        happenings.register_link(
            "today",
            happenings.Place(
                "thought", _("Write down a difficult thought"), "skills:my_thought_create", 10
            ),
        )

        # Exposures (issue 9): attempts count for goals and show in the session summary; a
        # planned attempt is due on Today; rungs ready to move up wait on the caseload.
        # Attempts and finished rungs apart, so a reader of attempts only (Today's prompt
        # to reflect after one) does not read the rungs too.
        happenings.register_provider(
            selectors.attempt_happenings,
            kinds=selectors.ATTEMPT_KINDS,
            counter=selectors.attempt_counts,
        )
        happenings.register_provider(
            selectors.rung_done_happenings,
            kinds=selectors.RUNG_DONE_KINDS,
            counter=selectors.rung_done_counts,
        )
        happenings.register_due_provider(selectors.due_today, probe=selectors.attempts_due)
        happenings.register_caseload_column(_("Ready for next rung"), selectors.ready_cell)

        # Rehearsals (issue 10), of scenarios and starters alike: they count toward goals'
        # cadences, a first one is a win, and a first rehearsal of a scenario is a win too.
        happenings.register_provider(
            roleplay.rehearsal_happenings,
            kinds=roleplay.HAPPENING_KINDS,
            counter=roleplay.rehearsal_counts,
        )
        happenings.register_link(
            "today",
            happenings.Place("rehearse", _("Practise a conversation"), "skills:my_scenarios", 20),
        )
        # Conversation starters (issue 10): a plan's opening line is picked from them, and
        # practising one is a thing to do any time from Today.
        happenings.register_opening_lines(
            happenings.OpeningLines(starter_selectors.opening_lines, starter_selectors.opening_line)
        )
        happenings.register_link(
            "today",
            happenings.Place(
                "starter", _("Practise something to say, out loud"), "skills:my_starters", 20
            ),
        )

        from outward.care.client_data import ClientDataKind, register_client_data

        from .models import (
            Exposure,
            FavouriteStarter,
            FearLadder,
            LessonAssignment,
            OwnStarter,
            Rehearsal,
            Rung,
            RungDecision,
            ScenarioAdaptation,
            ThoughtEmotion,
            ThoughtRecord,
            ThoughtRecordVersion,
            ThoughtTrap,
        )

        def under_visible_thought_record(model):
            # A thought record the client kept private takes its emotions, traps and
            # earlier versions with it.
            def rows(client, viewer):
                visible = ThoughtRecord.objects.for_viewer(client=client, viewer=viewer)
                return model.objects.filter(record__in=visible.values("pk"))

            return rows

        register_client_data(
            ClientDataKind(
                "skills.fear_ladder", FearLadder, ("created", "updated", "title", "archived")
            ),
            ClientDataKind(
                "skills.rung",
                Rung,
                (
                    "created",
                    "updated",
                    "ladder",
                    "situation",
                    "expected_suds",
                    "position",
                    "source",
                    "source_ref",
                    "status",
                    "done_at",
                ),
            ),
            ClientDataKind(
                "skills.exposure",
                Exposure,
                (
                    "created",
                    "updated",
                    "rung",
                    "planned_for",
                    "occurred",
                    "prediction",
                    "likelihood",
                    "expected_suds",
                    "safety_behaviours",
                    "suds_start",
                    "suds_peak",
                    "suds_end",
                    "what_happened",
                    "came_true",
                    "learned",
                ),
            ),
            ClientDataKind(
                "skills.rung_decision",
                RungDecision,
                ("created", "updated", "rung", "decision", "attempts_seen", "note"),
            ),
            ClientDataKind(
                "skills.lesson",
                LessonAssignment,
                (
                    "created",
                    "updated",
                    "lesson_key",
                    "lesson_version",
                    "read_at",
                    "reflection",
                    "reflection_visibility",
                ),
            ),
            ClientDataKind(
                "skills.thought_record",
                ThoughtRecord,
                (
                    "created",
                    "updated",
                    "situation",
                    "automatic_thought",
                    "evidence_for",
                    "evidence_against",
                    "balanced_thought",
                    "visibility",
                    "started_from",
                ),
            ),
            ClientDataKind(
                "skills.thought_emotion",
                ThoughtEmotion,
                ("record", "name", "intensity", "rerated", "position"),
                client_path="record__client",
                rows=under_visible_thought_record(ThoughtEmotion),
            ),
            ClientDataKind(
                "skills.thought_trap",
                ThoughtTrap,
                ("record", "key"),
                client_path="record__client",
                rows=under_visible_thought_record(ThoughtTrap),
            ),
            ClientDataKind(
                "skills.thought_record_version",
                ThoughtRecordVersion,
                ("record", "number", "created", "snapshot"),
                client_path="record__client",
                rows=under_visible_thought_record(ThoughtRecordVersion),
            ),
            ClientDataKind(
                "skills.scenario_adaptation",
                ScenarioAdaptation,
                (
                    "created",
                    "updated",
                    "scenario_key",
                    "situation",
                    "aim",
                    "role_card",
                    "opening_lines",
                ),
            ),
            ClientDataKind(
                "skills.rehearsal",
                Rehearsal,
                (
                    "created",
                    "updated",
                    "mode",
                    "scenario_key",
                    "starter_key",
                    "setting",
                    "openness",
                    "occurred",
                    "roles",
                    "seconds",
                    "times_said",
                    "confidence_before",
                    "confidence_after",
                    "went_well",
                    "next_time",
                ),
            ),
            ClientDataKind(
                "skills.own_starter",
                OwnStarter,
                ("created", "updated", "text", "setting", "openness"),
            ),
            ClientDataKind(
                "skills.favourite_starter", FavouriteStarter, ("created", "starter_key")
            ),
        )
