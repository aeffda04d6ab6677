// Starts Swagger UI with the settings its container carries (no inline script: the page's
// Content-Security-Policy allows scripts from this server only).
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui-container");
  var config = JSON.parse(container.dataset.config || "{}");
  config.url = container.dataset.specUrl;
  config.dom_id = "#swagger-ui-container";
  // The validator badge would send the document to an outside service.
  if (!("validatorUrl" in config)) {
    config.validatorUrl = null;
  }
  window.ui = SwaggerUIBundle(config);
});
