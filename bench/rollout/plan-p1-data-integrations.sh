#!/usr/bin/env bash
# Phase 1, step 1.5 of the plan ("Rebuild Data & Integration Services (Parallel)"), the wave
# p1-data-integrations, transcribed command for command; only the sleep is scaled (plan-bash.sh).
. "$(dirname "$0")/plan-bash.sh"

# Build data-retention, all external integration services
SERVICES="data-retention weather-api sports-api carbon-intensity electricity-pricing air-quality calendar-service smart-meter-service log-aggregator"

for service in $SERVICES; do
  echo "Building $service..."
  docker-compose build --no-cache $service &
done

# Wait for all builds to complete
wait

# Deploy all services
docker-compose up -d $SERVICES

# Wait for health checks
sleep 60
docker ps --filter name="data-retention|weather|sports|carbon|electricity|air-quality|calendar|smart-meter|log-aggregator" --format "table {{.Names}}\t{{.Status}}"
