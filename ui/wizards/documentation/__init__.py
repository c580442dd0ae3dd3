"""The dokumentationsstöd wizard (DOMAIN.md step 8; seeds 000 "Dokumentation", 003 step 3, 002 on
the child's voice): the plan of one meeting, written in the order of the meeting —

1. Deltagare — name, initials, profession, organisation/principal and contact for everyone
2. Den enskildes situation och mål — in the person's own words
   For a child only (under 18 on the meeting day), a page of its own after it: Barnets egna
   ord — the child's words, or "Barnet ville inte säga något" (a valid answer), how the child
   was asked, how the views were weighed (`child.ChildVoicePage`); the pages after it count on
3. Insatser per huvudman — each principal writes its own part (or "Vi gör inget")
4. Andra och ansvar — actions by others (or "inga"), overall responsibility, the coordinator,
   treatment limitation (yes/no and a journal reference only)
5. Uppföljning — at most a year after the meeting, and who follows up
6. Granska — the legal check's missing points, participants, for a child what the child's page
   says (the words or "ville inte säga något", how asked, how weighed — never a problem),
   plain-language warnings, parts

One class per page; each shows the conversation support of seed 003 as a short help text, and
the documentation deadline (two working days after the meeting; red when passed). Nothing
waits for a "Spara" button: every change is saved a moment after the user stops typing, field
by field, through `documentation_saving.FieldSaver` — so several users can write in the same
version at once and a crash loses nothing; a clash on the same field is shown at the field with
both texts. Interventions and participants are saved by their dialogs.

No query runs on the UI thread: the wizard reads the plan as one read model
(`sipdesk.plans.plan_documentation.documentation_view`) in the operation runner when it opens and at
each change of page, saves in the runner too, and runs "Markera … som klar" and "Ta bort" there.

`DocumentationWizard.ask(parent, session, plan_id)` runs it; it returns True when anything was
saved. A locked (approved) version, an older version or a closed case opens read-only.
"""

from .common import deadline_text
from .wizard import DocumentationWizard

__all__ = ["DocumentationWizard", "deadline_text"]
