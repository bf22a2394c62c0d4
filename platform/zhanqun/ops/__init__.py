"""What an orchestrator and a monitoring system ask of every app process: liveness, readiness,
metrics and structured logs. Answered before host routing (see ``middleware``)."""
