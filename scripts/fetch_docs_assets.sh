#!/usr/bin/env bash
# Re-fetch the Swagger UI and ReDoc builds that Spinta serves itself under /docs/assets/
# (`make docs-assets`). Pinned versions from the npm registry (npm verifies each tarball's
# integrity); only the files the docs pages load are kept, with their licences, and the
# ReDoc side-menu logo, the one asset the bundle fetches from a CDN, is pointed at a local file.
set -euo pipefail

SWAGGER_UI_VERSION=5.35.0
REDOC_VERSION=2.5.4

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/spinta/static/docs"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "swagger-ui-dist@$SWAGGER_UI_VERSION" "redoc@$REDOC_VERSION" >/dev/null
mkdir swagger redoc
tar xzf "swagger-ui-dist-$SWAGGER_UI_VERSION.tgz" -C swagger
tar xzf "redoc-$REDOC_VERSION.tgz" -C redoc

rm -rf "$DEST/swagger-ui" "$DEST/redoc"
mkdir -p "$DEST/swagger-ui" "$DEST/redoc"
for file in swagger-ui-bundle.js swagger-ui.css swagger-ui-bundle.js.LICENSE.txt LICENSE NOTICE; do
  cp "swagger/package/$file" "$DEST/swagger-ui/$file"
done
cp redoc/package/bundles/redoc.standalone.js redoc/package/LICENSE "$DEST/redoc/"
if [ -f redoc/package/bundles/redoc.standalone.js.LICENSE.txt ]; then
  cp redoc/package/bundles/redoc.standalone.js.LICENSE.txt "$DEST/redoc/"
fi

# Source maps are not shipped: drop the comments that point at them.
sed -i -E '/^\/[*/]# sourceMappingURL=.*$/d' "$DEST"/swagger-ui/*.js "$DEST"/swagger-ui/*.css \
  "$DEST"/redoc/*.js
# The side menu's "API docs by Redocly" logo comes from a CDN: serve a local one instead.
CDN_LOGO="https://cdn.redoc.ly/redoc/logo-mini.svg"
grep -q "$CDN_LOGO" "$DEST/redoc/redoc.standalone.js" \
  || { echo "ReDoc $REDOC_VERSION: $CDN_LOGO not found, check the bundle" >&2; exit 1; }
sed -i "s#$CDN_LOGO#/docs/assets/redoc/logo-mini.svg#g" "$DEST/redoc/redoc.standalone.js"
cp "$ROOT/scripts/redoc-logo-mini.svg" "$DEST/redoc/logo-mini.svg"

printf 'swagger-ui-dist %s\nredoc %s\n' "$SWAGGER_UI_VERSION" "$REDOC_VERSION" >"$DEST/VERSIONS"
echo "Docs assets: swagger-ui-dist $SWAGGER_UI_VERSION, redoc $REDOC_VERSION -> $DEST"
