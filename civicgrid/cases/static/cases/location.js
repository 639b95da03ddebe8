// Location picker: GPS first, a tap on the map to place or move the pin.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("pick-map");
    if (!el) { return; }
    var status = document.getElementById("pick-status");
    var lon = document.querySelector("input[name=lon]");
    var lat = document.querySelector("input[name=lat]");
    var map = L.map(el).setView([31.31, 120.62], 13);
    el.classList.add("map-plain");
    var marker = null;
    // Staff see their own grids, so a tap lands where they mean even without map tiles.
    if (el.dataset.featuresUrl) {
      fetch(el.dataset.featuresUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.features || !data.features.length) { return; }
          var grids = L.geoJSON(data, {
            style: { color: "#1f6feb", weight: 1, fillOpacity: 0.06 },
            onEachFeature: function (f, layer) {
              layer.bindTooltip(f.properties.name);
              layer.on("click", function (e) { place(e.latlng); });
            },
          }).addTo(map);
          if (!marker) { map.fitBounds(grids.getBounds(), { padding: [8, 8] }); }
        });
    }
    function place(latlng, text) {
      // A circle marker is SVG: no icon image whose hashed static name Leaflet would have to guess.
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, { radius: 9, color: "#d1242f", weight: 3, fillOpacity: 0.6 }).addTo(map);
      }
      lon.value = latlng.lng.toFixed(6);
      lat.value = latlng.lat.toFixed(6);
      status.textContent = text || status.dataset.placed;
    }
    if (lon.value && lat.value) {
      var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      map.setView(start, 16);
      place(start);
    } else if (navigator.geolocation) {
      status.textContent = status.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        var here = L.latLng(pos.coords.latitude, pos.coords.longitude);
        map.setView(here, 17);
        place(here);
      }, function () { status.textContent = status.dataset.denied; }, { enableHighAccuracy: true, timeout: 10000 });
    }
    map.on("click", function (e) { place(e.latlng); });
  });
})();
