// The small outline map of an area page (#area-outline-map): the area's boundary
// and its children's, from a GeoJSON FeatureCollection in data-features.
// No tile layer: the outline is drawn on a plain background (works offline).
(function () {
  "use strict";

  function outlineMap(el) {
    var data;
    try {
      data = JSON.parse(el.dataset.features);
    } catch (e) {
      return;
    }
    var map = L.map(el, { attributionControl: false, scrollWheelZoom: false });
    var layer = L.geoJSON(data, {
      style: function (f) {
        return f.properties.own
          ? { color: "#1f4e79", weight: 3, fill: false }
          : { color: "#4e79a7", weight: 1, fillColor: "#4e79a7", fillOpacity: 0.15 };
      },
      onEachFeature: function (f, shape) {
        if (!f.properties.own) { shape.bindTooltip(f.properties.name + " " + f.properties.code, { sticky: true }); }
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    el.classList.add("map-ready");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("area-outline-map");
    if (el && window.L) { outlineMap(el); }
  });
})();
