"""A page probe shared by the browser tests and the room benchmark.

ipywidgets sends a click at once but holds back a field's further changes while an earlier one is
in flight (jupyter-widgets/ipywidgets#1382), so a Save clicked by a script right after a change can
overtake it. Scripts wait on this probe, which reads ipywidgets 8 internals through Solara's debug
hook, before clicking Save. A person is never that quick.
"""

NOTHING_IN_FLIGHT = """async () => {
    const manager = window.solara && window.solara.debug && window.solara.debug.widgetManager();
    if (!manager) { return false; }
    const models = await Promise.all(Object.values(manager._models));
    if (!models.length || !models.every(m => '_pending_msgs' in m && '_msg_buffer' in m)) {
        throw new Error('the widget manager has changed: update NOTHING_IN_FLIGHT');
    }
    return models.every(m => m._pending_msgs <= 0 && m._msg_buffer === null);
}"""

SLIDER_HOLDS = """async (target) => {
    const manager = window.solara && window.solara.debug && window.solara.debug.widgetManager();
    if (!manager) { return false; }
    const models = await Promise.all(Object.values(manager._models));
    return models.some(m => /SliderModel$/.test(m.get('_model_name')) && m.get('value') === target);
}"""
"""A slider's readout moves with each key at once, but its value reaches the widget model (and then the
server) a moment later: a script waits for the model to hold the value before it waits on NOTHING_IN_FLIGHT."""
