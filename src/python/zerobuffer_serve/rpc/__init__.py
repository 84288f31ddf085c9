"""JSON-RPC: the dispatcher (requests -> handler calls), parameter helpers and the worker's methods."""
