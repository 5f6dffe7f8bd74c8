// Starts Swagger UI on the API docs page; kept in a file so the Content-Security-Policy needs no inline script.
const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({ url: root.dataset.specUrl, domNode: root, deepLinking: true });
