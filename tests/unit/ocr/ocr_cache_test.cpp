#include "lupa/ocr/ocr_cache.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace lupa::ocr {
namespace {

PixPtr page(int marked_x) {
  PixPtr pix(pixCreate(64, 32, 8));
  pixSetAll(pix.get());
  pixSetPixel(pix.get(), marked_x, 5, 0);
  return pix;
}

PageText recognised(std::string text, double confidence) {
  PageText page;
  page.number = 4;
  page.text = std::move(text);
  page.confidence = confidence;
  page.layout = PageLayout::kTable;
  return page;
}

TEST(OcrCache, TheKeyFollowsThePixelsAndTheSettings) {
  const std::string key = OcrCache::key_for(*page(3), "spa+eng");
  EXPECT_EQ(key.size(), 40U);
  EXPECT_EQ(key, OcrCache::key_for(*page(3), "spa+eng"));
  EXPECT_NE(key, OcrCache::key_for(*page(4), "spa+eng"));
  EXPECT_NE(key, OcrCache::key_for(*page(3), "eng"));
}

TEST(OcrCache, AStoredPageIsFoundWithItsConfidenceAndLayout) {
  lupa::testing::TempDir dir;
  const OcrCache cache(dir.path() / "cache");
  const std::string key = OcrCache::key_for(*page(3), "spa+eng");
  EXPECT_FALSE(cache.find(key));
  cache.store(key, recognised("Línea uno\n\nLínea dos\n", 87.5));
  const auto found = cache.find(key);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->text, "Línea uno\n\nLínea dos\n");
  EXPECT_DOUBLE_EQ(*found->confidence, 87.5);
  EXPECT_EQ(found->layout, PageLayout::kTable);
  EXPECT_EQ(found->source, TextSource::kOcr);
  EXPECT_TRUE(found->from_cache);
}

TEST(OcrCache, ClearRemovesEveryEntry) {
  lupa::testing::TempDir dir;
  const OcrCache cache(dir.path() / "cache");
  const std::string key = OcrCache::key_for(*page(3), "spa+eng");
  cache.store(key, recognised("texto", 90));
  cache.clear();
  EXPECT_FALSE(cache.find(key));
}

TEST(OcrCache, AnEntryInAnotherFormatIsAMiss) {
  lupa::testing::TempDir dir;
  const OcrCache cache(dir.path() / "cache");
  const std::string key = OcrCache::key_for(*page(3), "spa+eng");
  std::filesystem::create_directories(dir.path() / "cache" / key.substr(0, 2));
  std::ofstream(dir.path() / "cache" / key.substr(0, 2) / (key + ".txt")) << "garbage\ntext";
  EXPECT_FALSE(cache.find(key));
}

}  // namespace
}  // namespace lupa::ocr
