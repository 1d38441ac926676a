// Progressive enhancement of the answering form: a conditional question whose controlling
// question is on the same page is hidden until one of its choices is checked. Without
// JavaScript every question shows, with its « Si vous avez répondu … » hint; the server drops
// the answers of questions whose condition is not met.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=questionnaire-form]");
  if (!form) return;
  var dependents = form.querySelectorAll("[data-condition-field]");
  function update() {
    dependents.forEach(function (block) {
      var field = block.getAttribute("data-condition-field");
      var controls = form.querySelectorAll("input[name='" + field + "']");
      if (!controls.length) return; // the controlling question is in another section
      var wanted = block.getAttribute("data-condition-choices").split(",");
      var shown = Array.prototype.some.call(controls, function (input) {
        return input.checked && wanted.indexOf(input.value) !== -1;
      });
      block.hidden = !shown;
    });
  }
  form.addEventListener("change", update);
  update();
})();
