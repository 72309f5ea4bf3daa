#!/bin/sh
# Renders resources/icon.svg to the PNG sizes electron-builder takes (it makes .icns and .ico from
# icon.png); needs ImageMagick's `convert` (with rsvg-convert from librsvg2-bin for SVG). The PNGs are committed, so packaging does not need it.
set -eu
cd "$(dirname "$0")/../resources"
mkdir -p icons
convert -background none -density 96 icon.svg -resize 1024x1024 icon.png
for size in 16 24 32 48 64 128 256 512 1024; do
  convert -background none icon.png -resize "${size}x${size}" "icons/${size}x${size}.png"
done
