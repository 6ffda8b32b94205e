"""Waits on the page's widget models, shared by the browser tests.

ipywidgets sends a click at once but holds back a field's further changes while an earlier one is
in flight (jupyter-widgets/ipywidgets#1382), so a Save clicked by a script right after a change can
overtake it. Scripts wait until nothing is in flight, which reads ipywidgets 8 internals through
Solara's debug hook, before clicking Save. A person is rarely that quick on a slow server, and then
the card says so ("Not saved yet: press Save to keep this change").

Solara's manager holds its models as promises, so the probes are async; Playwright's
`wait_for_function` takes a returned promise as a truthy answer at once (it never waited, and a
Save did overtake a slider's move). So the probes are polled in the page by one `evaluate`, which
awaits them, and which fails with the probe's name when the condition does not come in time.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

NOTHING_IN_FLIGHT = """async () => {
    const models = await widgetModels();
    if (models === null) { return false; }
    if (!models.length || !models.every(m => '_pending_msgs' in m && '_msg_buffer' in m)) {
        throw new Error('the widget manager has changed: update NOTHING_IN_FLIGHT');
    }
    return models.every(m => m._pending_msgs <= 0 && m._msg_buffer === null);
}"""

SLIDER_HOLDS = """async ([slider, target]) => {
    for (const model of (await widgetModels()) || []) {
        if (!('views' in model)) { throw new Error('the widget manager has changed: update SLIDER_HOLDS'); }
        const views = await Promise.all(Object.values(model.views));
        if (views.some(view => view.el === slider)) { return model.get('value') === target; }
    }
    return false;
}"""

POLL = """async ([arg, timeout, name]) => {
    const widgetModels = async () => {
        const manager = window.solara && window.solara.debug && window.solara.debug.widgetManager();
        return manager ? await Promise.all(Object.values(manager._models)) : null;  // not up yet: wait
    };
    const probe = PROBE;
    const deadline = performance.now() + timeout;
    while (!(await probe(arg))) {
        if (performance.now() > deadline) { throw new Error(name + ': not within ' + timeout + ' ms'); }
        await new Promise(resolve => setTimeout(resolve, 50));
    }
}"""


def _wait_in_page(page: Page, probe: str, name: str, timeout: float, arg=None) -> None:
    page.evaluate(POLL.replace("PROBE", probe), [arg, timeout, name])


def wait_until_nothing_in_flight(page: Page, timeout: float) -> None:
    """Every change the page made has reached the server: a Save clicked now cannot overtake one."""
    _wait_in_page(page, NOTHING_IN_FLIGHT, "a widget change still in flight", timeout)


def wait_until_slider_holds(slider: Locator, value: int, timeout: float) -> None:
    """A slider's readout moves with each key at once, but its value reaches the widget model (and then
    the server) a moment later: wait for the model of this slider (its `.widget-slider`) to hold the
    value, before one waits for nothing in flight. Earlier pages' sliders stay in the manager, so it
    must be this slider's own model: another one at the same value would pass at once."""
    _wait_in_page(slider.page, SLIDER_HOLDS, f"the slider's model never held {value}",
                 timeout, arg=[slider.element_handle(), value])
