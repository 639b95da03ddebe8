// The case page's map: the reported point inside its grid's outline.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("case-map");
    if (!el) { return; }
    var map = L.map(el, { attributionControl: false });
    el.classList.add("map-plain");
    var point = L.latLng(parseFloat(el.dataset.lat), parseFloat(el.dataset.lon));
    var outline = el.dataset.boundary
      ? L.geoJSON(JSON.parse(el.dataset.boundary), { style: { color: "#1f6feb", weight: 2, fillOpacity: 0.08 } })
      : null;
    // Leaflet needs a view before it can draw vector layers.
    if (outline) {
      map.fitBounds(outline.getBounds().extend(point), { padding: [12, 12] });
      outline.addTo(map);
    } else {
      map.setView(point, 17);
    }
    L.circleMarker(point, { radius: 9, color: "#d1242f", weight: 3, fillOpacity: 0.6 }).addTo(map);
  });
})();
