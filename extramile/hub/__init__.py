"""Under JupyterHub: the journal store as a hub service, and the rule for who may read which entries.
"""
