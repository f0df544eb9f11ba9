#!/usr/bin/env sh
# Draws build/icon.png (512x512), from which electron-builder derives the Windows .ico and macOS
# .icns: a speech bubble with a padlock on a rounded square. Needs ImageMagick (`convert`).
set -eu
cd "$(dirname "$0")/.."
mkdir -p build
convert -size 512x512 xc:none \
  -fill '#1f6f78' -draw 'roundrectangle 16,16 496,496 96,96' \
  -fill '#ffffff' -draw 'roundrectangle 96,112 416,336 56,56' \
  -fill '#ffffff' -draw 'polygon 160,320 232,320 144,408' \
  -fill none -stroke '#1f6f78' -strokewidth 22 -draw 'arc 212,150 300,238 180,360' \
  -stroke none -fill '#1f6f78' -draw 'roundrectangle 196,194 316,296 14,14' \
  -fill '#ffffff' -draw 'circle 256,236 256,252' -draw 'rectangle 250,240 262,276' \
  build/icon.png
echo "wrote build/icon.png"
