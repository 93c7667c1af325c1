// The new-post form follows the chosen type: choosing "case study" fills an empty body with
// the case-study headings (the textarea's data-case-study-template, in the member's
// language) and shows the public-use consent; choosing another type takes back headings
// the member has not written under and hides the consent. Without this script the form
// still works: the consent stays visible and ?type=case_study starts from the headings.
(function () {
  "use strict";
  var CASE_STUDY = "case_study";

  function setup(form) {
    var body = form.querySelector("textarea[data-case-study-template]");
    var radios = form.querySelectorAll('input[name="post_type"]');
    if (!body || !radios.length) return;
    var template = body.dataset.caseStudyTemplate;
    var typeFields = form.querySelectorAll("[data-for-type]");

    function chosen() {
      var checked = form.querySelector('input[name="post_type"]:checked');
      return checked ? checked.value : "";
    }

    function follow() {
      var type = chosen();
      typeFields.forEach(function (field) { field.hidden = field.dataset.forType !== type; });
      if (type === CASE_STUDY && body.value.trim() === "") {
        body.value = template;
      } else if (type !== CASE_STUDY && body.value.trim() === template.trim()) {
        body.value = "";
      }
    }

    radios.forEach(function (radio) { radio.addEventListener("change", follow); });
    follow();
  }

  document.querySelectorAll("form.composer").forEach(setup);
})();
