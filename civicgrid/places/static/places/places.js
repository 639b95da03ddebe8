// Places: the point map on detail pages (#place-map), the point picker on
// edit forms (#point-picker, writes the lon/lat inputs) and the facilities
// map (#points-map). Coordinates are WGS84 lon/lat; no inline scripts.
(function () {
  "use strict";

  function baseMap(el) {
    var map = L.map(el, { zoomControl: true });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {
        maxZoom: 19,
        subdomains: el.dataset.tileSubdomains || "abc",
        attribution: el.dataset.tileAttribution || "",
      }).addTo(map);
    } else {
      el.classList.add("map-plain");
    }
    return map;
  }

  function pointMap(el) {
    var map = baseMap(el);
    var point = JSON.parse(el.dataset.point);
    var latlng = [point[1], point[0]];
    if (el.dataset.boundary) {
      L.geoJSON(JSON.parse(el.dataset.boundary), { style: { color: "#1f6feb", weight: 2, fillOpacity: 0.1 } }).addTo(map);
    }
    L.circleMarker(latlng, { radius: 8, color: "#c0392b", fillOpacity: 0.8 }).addTo(map);
    map.setView(latlng, 17);
  }

  function pointPicker(el) {
    var map = baseMap(el);
    var lon = document.querySelector("input[data-point=lon]");
    var lat = document.querySelector("input[data-point=lat]");
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    }
    function fromInputs() {
      var x = parseFloat(lon.value), y = parseFloat(lat.value);
      if (isFinite(x) && isFinite(y)) { place([y, x]); return [y, x]; }
      return null;
    }
    var start = fromInputs();
    map.setView(start || [31.3, 120.62], start ? 17 : 13);
    if (el.dataset.boundariesUrl) {
      fetch(el.dataset.boundariesUrl, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (data) {
          var layer = L.geoJSON(data, {
            interactive: false,
            style: { color: "#34495e", weight: 1, fillOpacity: 0.05 },
          }).addTo(map);
          if (!start && data.features && data.features.length) { map.fitBounds(layer.getBounds()); }
        })
        .catch(function () { /* the picker still works without outlines */ });
    }
    map.on("click", function (e) {
      lon.value = e.latlng.lng.toFixed(6);
      lat.value = e.latlng.lat.toFixed(6);
      place(e.latlng);
    });
    [lon, lat].forEach(function (input) { input.addEventListener("change", fromInputs); });
  }

  function pointsMap(el) {
    var map = baseMap(el);
    map.setView([31.3, 120.62], 13);
    fetch(el.dataset.pointsUrl, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, { radius: 6, color: "#c0392b", fillOpacity: 0.7 });
          },
          onEachFeature: function (f, shape) {
            var a = document.createElement("a");
            a.href = el.dataset.detailUrl.replace("/0/", "/" + f.properties.id + "/");
            a.textContent = f.properties.label;
            shape.bindPopup(a);
          },
        }).addTo(map);
        if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 17 }); }
      })
      .catch(function () {
        var p = document.createElement("p");
        p.className = "map-error";
        p.textContent = el.dataset.failed;
        el.after(p);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("place-map");
    if (el) { pointMap(el); }
    el = document.getElementById("point-picker");
    if (el) { pointPicker(el); }
    el = document.getElementById("points-map");
    if (el) { pointsMap(el); }
  });
})();
