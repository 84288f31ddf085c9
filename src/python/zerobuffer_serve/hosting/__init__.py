"""Hosting: the stdio serve loop, the liveness watch and the debugger wait."""
