"""Role-play and rehearsal (issue 10): scenarios (the library in skills/data/scenarios.json,
a practice's own, a client's adaptation), rehearsals in session and alone, the rehearsal
history with its confidence chart and the situations since faced for real. Reads in
`selectors`, writes in `services`, forms in `forms`; the pages are skills.views.scenarios and
skills.views.rehearsals."""
