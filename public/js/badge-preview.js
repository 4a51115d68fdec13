/*
 * Badge form: redraws the preview while the coordinator types or picks a template, a
 * pictogram or a colour. Progressive enhancement only: without this script the
 * "Mettre à jour l'aperçu" button asks the server for the same picture.
 */
(function () {
  'use strict';
  var form = document.querySelector('form.badge-form');
  var figure = document.querySelector('.badge-preview');
  if (!form || !figure) return;
  var caption = figure.querySelector('figcaption');
  var timer = null;

  function value(name) {
    var field = form.elements.namedItem(name);
    if (!field) return '';
    if (field instanceof RadioNodeList) return field.value || '';
    return field.value || '';
  }

  function previewUrl(template) {
    var title = value('name').trim() || form.getAttribute('data-sample-title') || '';
    var q = new URLSearchParams({ titre: title });
    if (value('level').trim()) q.set('niveau', value('level'));
    if (value('primaryColor')) q.set('couleur', value('primaryColor'));
    if (value('secondaryColor')) q.set('couleur2', value('secondaryColor'));
    if (value('pictogram')) q.set('picto', value('pictogram'));
    return '/modeles-de-badges/' + encodeURIComponent(template) + '/apercu.svg?' + q.toString();
  }

  function image() {
    var img = figure.querySelector('img');
    if (!img) {
      var notice = figure.querySelector('.notice');
      if (notice) notice.remove();
      img = document.createElement('img');
      img.width = 240;
      img.height = 240;
      figure.insertBefore(img, caption);
    }
    return img;
  }

  function redraw() {
    var template = value('template');
    if (!template) return;
    var img = image();
    img.alt = (figure.getAttribute('data-alt') || '').replace('%s', value('name').trim());
    img.onload = function () {
      if (caption) caption.textContent = figure.getAttribute('data-updated') || '';
    };
    img.onerror = function () {
      if (caption) caption.textContent = figure.getAttribute('data-unavailable') || '';
    };
    img.src = previewUrl(template);
    // The small pictures of the templates follow the same texts and colours.
    var thumbs = form.querySelectorAll('.template-choice');
    for (var i = 0; i < thumbs.length; i++) {
      var input = thumbs[i].querySelector('input[name="template"]');
      var thumb = thumbs[i].querySelector('img');
      if (input && thumb) thumb.src = previewUrl(input.value);
    }
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(redraw, 300);
  }

  ['name', 'level', 'primaryColor', 'secondaryColor'].forEach(function (name) {
    var field = form.elements.namedItem(name);
    if (field && field.addEventListener) field.addEventListener('input', later);
  });
  form.addEventListener('change', function (event) {
    var name = event.target && event.target.name;
    if (
      name === 'template' ||
      name === 'pictogram' ||
      name === 'primaryColor' ||
      name === 'secondaryColor'
    ) {
      later();
    }
  });
})();
