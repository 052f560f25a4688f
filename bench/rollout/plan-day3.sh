#!/usr/bin/env bash
# Day 3 of the plan ("AI/ML Services (Critical)"), its three blocks transcribed command for
# command; only the container names, the port lookup and the sleeps are adapted (plan-bash.sh).
# Left out: `npm run test:unit:python -- services/ml-service services/ai-pattern-service` (the
# miniature has no test suites). PLAN_DAY3_BLOCKS=1 stops after the morning block (--quick).
. "$(dirname "$0")/plan-bash.sh"

# --- Morning (8 AM - 10 AM) ---
# Deploy AI core services one by one with extra monitoring
SERVICES="ai-core-service ai-pattern-service ai-query-service"

for service in $SERVICES; do
  echo "=== Deploying $service ==="
  docker-compose up -d --no-deps --build $service
  sleep 60  # Extra wait time for AI services

  # Check status and logs
  docker ps --filter name=$service
  docker logs --tail 50 $(cname $service)

  # Verify health
  port=$(service_port $service)
  if [ -n "$port" ]; then
    curl -f http://localhost:$port/health || echo "WARNING: $service health check failed"
  fi
done
[ "${PLAN_DAY3_BLOCKS:-3}" = 1 ] && exit 0

# --- Late Morning (10 AM - 12 PM) ---
# Deploy automation and agent services
SERVICES="ai-automation-service-new ai-code-executor ha-ai-agent-service proactive-agent-service"

for service in $SERVICES; do
  docker-compose up -d --no-deps --build $service
  sleep 60
  docker ps --filter name=$service
done

# --- Afternoon (1 PM - 5 PM) ---
# Deploy ML services with extended monitoring
SERVICES="ml-service openvino-service rag-service openai-service ner-service ai-training-service"

for service in $SERVICES; do
  echo "=== Deploying $service ==="
  docker-compose up -d --no-deps --build $service
  sleep 60

  # Monitor resource usage
  docker stats --no-stream $(cname $service)

  # Check logs for errors
  docker logs --tail 100 $(cname $service) | grep -i error || echo "No errors found"
done
