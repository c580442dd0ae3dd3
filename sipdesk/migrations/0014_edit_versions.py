"""Version 14: edits by two people at once (issue 13). The lists of a plan version that are
edited as a whole — the sub-goals and the actions by others — get a version each on the plan
version row, and an intervention and a plan participant get a version of their own, so every
save of them is a compare-and-set in the statement itself (`UPDATE … WHERE version = ?`).
Existing rows start at version 1.
"""

from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("plan_version", "sub_goals_version", IntegerField(default=1)),
        migrator.add_column("plan_version", "others_version", IntegerField(default=1)),
        migrator.add_column("intervention", "version", IntegerField(default=1)),
        migrator.add_column("plan_participant", "version", IntegerField(default=1)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("plan_participant", "version"),
        migrator.drop_column("intervention", "version"),
        migrator.drop_column("plan_version", "others_version"),
        migrator.drop_column("plan_version", "sub_goals_version"),
    )
