// The grid map (#grid-map) and the small outline map of an area page (#area-map).
// Coordinates arrive as GeoJSON lon/lat; Leaflet draws them as SVG paths.
(function () {
  "use strict";

  function baseMap(el) {
    var map = L.map(el, { zoomControl: true, attributionControl: true, preferCanvas: false });
    var tiles = el.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
    } else {
      el.classList.add("map-plain");
    }
    return map;
  }

  function colourSwatches() {
    document.querySelectorAll(".swatch[data-colour]").forEach(function (s) {
      s.style.backgroundColor = s.dataset.colour;
    });
  }

  function gridMap(el) {
    var map = baseMap(el);
    map.setView([31.3, 120.6], 12);
    var status = L.control({ position: "bottomleft" });
    status.onAdd = function () {
      var div = L.DomUtil.create("div", "map-status");
      div.textContent = el.dataset.loading;
      return div;
    };
    status.addTo(map);
    fetch(el.dataset.featuresUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (f) {
            return { color: "#34495e", weight: 1, fillColor: f.properties.colour, fillOpacity: 0.45 };
          },
          onEachFeature: function (f, shape) {
            shape.bindTooltip(f.properties.name, { sticky: true });
            shape.on("click", function (e) {
              var url = el.dataset.cardUrl.replace("CODE", encodeURIComponent(f.properties.code));
              var popup = L.popup({ maxWidth: 300 }).setLatLng(e.latlng).setContent(el.dataset.loading).openOn(map);
              fetch(url, { credentials: "same-origin" })
                .then(function (r) { return r.text(); })
                .then(function (html) { popup.setContent(html); });
            });
          },
        }).addTo(map);
        var count = data.features.length;
        status.getContainer().textContent = count ? "" : el.dataset.empty;
        el.dataset.gridCount = String(count);
        if (count) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
        el.classList.add("map-ready");
      });
  }

  function areaMap(el) {
    var map = baseMap(el);
    var layer = L.geoJSON(JSON.parse(el.dataset.boundary), {
      style: { color: "#1f6feb", weight: 2, fillOpacity: 0.15 },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  }

  document.addEventListener("DOMContentLoaded", function () {
    colourSwatches();
    var grid = document.getElementById("grid-map");
    if (grid) { gridMap(grid); }
    var area = document.getElementById("area-map");
    if (area) { areaMap(area); }
  });
})();
