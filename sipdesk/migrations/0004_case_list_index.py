"""Version 4: an index for searching the case list — cases by person, in case-number order.

A search finds the matching persons first (their name and personal-number indexes), then their
cases. With (person_id, year, sequence, id) that second step, and sorting the matches into the
list order, read this index alone and never the case rows (an index-only scan; SQLite keeps the
id in every index anyway, PostgreSQL needs it named). See sipdesk.cases.fetch_cases.
"""


def up(migrator, db):
    migrator.migrate(migrator.add_index("sip_case", ("person_id", "year", "sequence", "id"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("sip_case", "sip_case_person_id_year_sequence_id"))
