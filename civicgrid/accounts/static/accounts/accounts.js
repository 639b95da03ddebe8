// Ask before an irreversible account action: forms carrying data-confirm.
document.addEventListener("submit", function (event) {
  var question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) { event.preventDefault(); }
});
