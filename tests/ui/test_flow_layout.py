"""The flow layout, and the Översikt action row that uses it: on a narrow window the buttons
wrap onto another row instead of being cut or pushing the page sideways (issue 10)."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from sipdesk.desk import case_page
from tests.factories import make_case
from tests.ui.conftest import settle
from ui.case_tabs.overview import OverviewTab
from ui.case_view import CaseView
from ui.flow_layout import FlowLayout
from ui.session import Session

from .test_case_tabs import give_consent


def buttons_in(qtbot: QtBot, texts: list[str]) -> tuple[QWidget, list[QPushButton]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    flow = FlowLayout(holder, spacing=8, margin=0)
    buttons = [QPushButton(text) for text in texts]
    for each in buttons:
        flow.addWidget(each)
    return holder, buttons


def test_flow_layout_wraps_and_grows_downwards(qtbot: QtBot) -> None:
    holder, buttons = buttons_in(qtbot, ["Kalla till möte…", "Förnya samtycke…",
                                         "Registrera menprövning…", "Avsluta ärendet…"])
    flow = holder.layout()
    assert isinstance(flow, FlowLayout)
    widest = max(b.sizeHint().width() for b in buttons)
    assert flow.minimumSize().width() == widest  # never wider than its widest button
    one_row = sum(b.sizeHint().width() for b in buttons) + 8 * 3
    height = buttons[0].sizeHint().height()
    assert flow.heightForWidth(one_row) == height
    assert flow.heightForWidth(one_row - 1) == 2 * height + 8
    assert flow.heightForWidth(widest) == 4 * height + 3 * 8

    holder.resize(one_row - 1, flow.heightForWidth(one_row - 1))
    holder.show()
    qtbot.waitExposed(holder)
    tops = [b.y() for b in buttons]
    assert tops[:3] == [0, 0, 0] and tops[3] > 0  # the last one went to a second row
    for each in buttons:
        assert each.width() == each.sizeHint().width()


def test_overview_actions_fit_a_900_pixel_window(sqlite_session: Session, qtbot: QtBot) -> None:
    """Every next step can be read and clicked at 900 pixels: the row wraps, no button is cut
    ("Avsluta ären…") and the overview needs no sideways scrolling."""
    case = make_case(sqlite_session.user)
    give_consent(sqlite_session, case)  # the most buttons: "Förnya samtycke…" joins the row
    view = CaseView(case_page.open_case_page(sqlite_session.user, case.id), session=sqlite_session)
    qtbot.addWidget(view)
    view.resize(900, 760)
    view.show()
    qtbot.waitExposed(view)
    settle(qtbot)  # the tab on screen reads its part in the background
    overview = view.tab(OverviewTab)
    scroll = overview._scroll
    qtbot.waitUntil(lambda: scroll.horizontalScrollBar().maximum() == 0, timeout=1000)
    assert not scroll.horizontalScrollBar().isVisible()

    row = overview.findChild(FlowLayout, "action_row")
    assert row is not None
    items = [row.itemAt(i) for i in range(row.count())]
    shown: list[QPushButton] = []
    for item in items:
        widget = item.widget() if item is not None else None
        if isinstance(widget, QPushButton):
            shown.append(widget)
    assert [b.text() for b in shown][-1] == "Avsluta ärendet…"
    assert len(shown) == len(overview.action_buttons) + 1  # and "Förnya samtycke…"
    viewport = scroll.viewport()
    for each in shown:
        assert each.isVisible(), each.text()
        assert each.width() >= each.sizeHint().width(), each.text()
        right = each.mapTo(viewport, QPoint(each.width() - 1, 0)).x()
        assert right < viewport.width(), each.text()  # inside what can be seen
    assert len({b.y() for b in shown}) > 1  # it took a second row to fit
