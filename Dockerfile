# One image for api, worker and the console (each service picks its command in docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NX_DAEMON=false
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/console/package.json apps/console/
COPY libs libs
COPY tools tools
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w @coinops/console
EXPOSE 3000 4173
CMD ["node", "--require", "@swc-node/register", "apps/api/src/main.ts"]
