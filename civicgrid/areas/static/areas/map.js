// The grid map (#grid-map) and the small outline map of an area page (#area-map).
// Coordinates arrive as GeoJSON lon/lat; Leaflet draws each polygon as an SVG
// path (default renderer), coloured by the feature's community colour.
(function () {
  "use strict";

  function baseMap(el) {
    var map = L.map(el, { zoomControl: true, attributionControl: true, preferCanvas: false });
    var tiles = el.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 19,
        subdomains: el.dataset.tileSubdomains || "abc",
        attribution: el.dataset.tileAttribution || "",
      }).addTo(map);
    } else {
      el.classList.add("map-plain");  // no tile server configured: plain background
    }
    return map;
  }

  function colourSwatches() {
    document.querySelectorAll(".swatch[data-colour]").forEach(function (s) {
      s.style.backgroundColor = s.dataset.colour;
    });
  }

  function statusControl(map, text) {
    var status = L.control({ position: "bottomleft" });
    status.onAdd = function () {
      var div = L.DomUtil.create("div", "map-status");
      div.textContent = text;
      return div;
    };
    status.addTo(map);
    return status;
  }

  function popupWidth(el) {
    return Math.max(200, Math.min(320, el.clientWidth - 48));
  }

  function openCard(el, map, feature, latlng) {
    var url = el.dataset.cardUrl.replace("CODE", encodeURIComponent(feature.properties.code));
    // Keep the card clear of the zoom buttons in the top-left corner (they sit above popups).
    var popup = L.popup({ maxWidth: popupWidth(el), autoPanPaddingTopLeft: [12, 90], autoPanPaddingBottomRight: [12, 12] })
      .setLatLng(latlng)
      .setContent(el.dataset.loading)
      .openOn(map);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.text();
      })
      .then(function (html) { popup.setContent(html); })
      .catch(function () {
        var p = document.createElement("p");
        p.className = "map-error";
        p.textContent = el.dataset.cardFailed;
        popup.setContent(p);
      });
  }

  function gridMap(el) {
    var map = baseMap(el);
    map.setView([31.3, 120.6], 12);
    var status = statusControl(map, el.dataset.loading);
    fetch(el.dataset.featuresUrl, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (f) {
            return { color: "#34495e", weight: 1, fillColor: f.properties.colour, fillOpacity: 0.45 };
          },
          onEachFeature: function (f, shape) {
            shape.bindTooltip(f.properties.name, { sticky: true });
            shape.on("click", function (e) { openCard(el, map, f, e.latlng); });
          },
        }).addTo(map);
        var count = data.features.length;
        status.getContainer().textContent = count ? "" : el.dataset.empty;
        el.dataset.gridCount = String(count);
        if (count) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
        el.classList.add("map-ready");
      })
      .catch(function () {
        status.getContainer().textContent = el.dataset.failed;
        status.getContainer().classList.add("map-error");
        el.classList.add("map-failed");
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
