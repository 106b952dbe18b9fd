def dumps(*a, **k):
    return '{"ok": true, "result": {}}'
loads = None
