// Small progressive enhancements; pages work without them.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.createElement("div");
  box.className = "message message-error";
  box.setAttribute("role", "alert");
  var data = document.body.dataset;
  box.textContent = event.detail.xhr.status === 403 ? data.msgForbidden : data.msgFailed;
  var main = document.getElementById("main");
  if (main) { main.prepend(box); }
});
