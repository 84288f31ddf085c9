"""Steps: attributes, bindings, registry, matcher, argument conversion, invoker and scenario context.

Knows regexes, conversion and threads, never JSON-RPC and never the ZeroBuffer library: library
errors reach the invoker's classification through injected classifiers.
"""
