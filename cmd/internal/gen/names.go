package gen

import (
	"math/rand/v2"
	"sort"
	"strings"

	"hecha"
)

// weighted picks strings with given weights.
type weighted struct {
	items []string
	cum   []int // cumulative weights
}

// newWeighted reads "item:weight item:weight ..." (a missing weight is 1).
func newWeighted(spec string) *weighted {
	w := &weighted{}
	total := 0
	for _, f := range strings.Fields(spec) {
		item, n := f, 1
		if i := strings.LastIndexByte(f, ':'); i > 0 {
			item, n = f[:i], atoi(f[i+1:])
		}
		total += n
		w.items = append(w.items, item)
		w.cum = append(w.cum, total)
	}
	return w
}

func (w *weighted) pick(rng *rand.Rand) string {
	return w.items[w.index(rng)]
}

// index draws the index of an item.
func (w *weighted) index(rng *rand.Rand) int {
	n := rng.IntN(w.cum[len(w.cum)-1])
	return sort.SearchInts(w.cum, n+1)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// surnames are the commonest Chinese surnames with weights roughly in
// proportion to their share of the population (per ten thousand).
var surnames = newWeighted(`
王:712 李:706 张:684 刘:536 陈:455 杨:308 黄:223 赵:217 吴:200 周:190
徐:145 孙:138 马:129 朱:128 胡:116 郭:115 何:106 高:100 林:97 罗:86
郑:83 梁:81 谢:72 宋:69 唐:60 许:60 韩:57 冯:56 邓:55 曹:53
彭:53 曾:52 肖:51 田:50 董:50 袁:49 潘:47 于:46 蒋:45 蔡:44
余:43 杜:42 叶:41 程:40 苏:39 魏:38 吕:37 丁:36 任:35 沈:34
姚:33 卢:32 姜:31 崔:30 钟:29 谭:28 陆:27 汪:26 范:25 金:24
石:23 廖:22 贾:21 夏:20 付:18 方:17 白:16 邹:15 孟:15 秦:14
牛:14 常:13 侯:11 史:10 郝:10 申:9 欧阳:5 司马:1 诸葛:1`)

// Given names by sex and generation: the names parents chose changed
// with the decades. The heavy weights make 张伟, 王芳 and 李娜 collide,
// as they do in real registries.
var (
	givenMaleOld = newWeighted(`
建国:30 建华:25 国强:25 建军:25 志强:20 国华:15 卫东:15 红军:10 建平:15 德明:10
伟:40 军:30 勇:30 强:25 刚:25 平:20 明:20 林:15 华:20 斌:15 海:10 成:10 忠:8 福:8`)
	givenMaleMid = newWeighted(`
伟:120 磊:60 勇:40 军:40 杰:45 涛:45 强:40 斌:35 超:35 明:30 刚:25 辉:30 鹏:30
飞:25 鑫:20 波:20 宁:15 凯:20 亮:20 俊:15 峰:20 浩:15 帅:15 晨:10 龙:15
海涛:15 志强:15 俊杰:12 建伟:12 晓东:10 文博:8 振华:8 永强:8 国栋:6 少华:6`)
	givenMaleYoung = newWeighted(`
浩然:30 子轩:35 宇航:25 梓豪:25 浩宇:25 俊熙:15 一鸣:15 博文:20 皓轩:20 思远:12
宇:25 轩:20 浩:25 博:20 杰:15 伟:15 鑫:12 磊:10 泽:12 晨:12 睿:10 航:12`)
	givenFemaleOld = newWeighted(`
秀英:40 桂英:30 秀兰:30 玉兰:30 桂兰:20 凤英:15 玉梅:15 淑珍:12 秀珍:15 丽华:12
芳:30 红:25 丽:25 霞:20 英:20 梅:20 兰:15 琴:12 萍:15 华:15`)
	givenFemaleMid = newWeighted(`
芳:110 娜:90 敏:60 静:60 丽:50 艳:45 娟:40 霞:35 婷:40 雪:30 慧:25 莉:25
燕:30 红:25 玲:25 丹:25 萍:20 颖:20 倩:20 晶:15 洁:15 琳:15 佳:12 蕾:10
丽娟:15 晓燕:12 海燕:12 春梅:10 秀云:8 亚楠:8 晓丽:10 红霞:10`)
	givenFemaleYoung = newWeighted(`
欣怡:35 梓涵:35 诗涵:30 雨桐:25 子涵:30 佳怡:25 思涵:20 可馨:15 一诺:20 语嫣:10
婷:20 雪:15 悦:20 欣:20 琪:15 涵:15 萱:15 妍:15 怡:12 娜:10 芳:8`)
)

// minorityNames are names of Uyghur and Kazakh form, written with the
// middle dot; a few people in any registry have them.
var (
	minorityMale   = newWeighted(`买买提·吐尔逊 艾力·依明 阿卜杜拉·哈斯木 努尔兰·叶尔波拉提 艾克拜尔·吾斯曼 吐尔洪·买买提`)
	minorityFemale = newWeighted(`阿依古丽·买买提 古丽米拉·艾力 热依拉·托合提 迪娜·吐尔逊 古丽娜尔·阿不都 帕提古丽·卡德尔`)
)

// minorityPerMille is how many people in a thousand get a minority name.
const minorityPerMille = 3

// personName returns a name for a person of sex born in year.
func personName(rng *rand.Rand, sex hecha.Sex, year int) string {
	if rng.IntN(1000) < minorityPerMille {
		if sex == hecha.SexFemale {
			return minorityFemale.pick(rng)
		}
		return minorityMale.pick(rng)
	}
	return surnames.pick(rng) + givenName(rng, sex, year)
}

// givenName returns a given name for sex and the birth year's generation.
func givenName(rng *rand.Rand, sex hecha.Sex, year int) string {
	return givenNames(sex, year).pick(rng)
}

// givenNames returns the given names of sex and the birth year's generation.
func givenNames(sex hecha.Sex, year int) *weighted {
	female := sex == hecha.SexFemale
	switch {
	case year < 1972 && female:
		return givenFemaleOld
	case year < 1972:
		return givenMaleOld
	case year >= 2000 && female:
		return givenFemaleYoung
	case year >= 2000:
		return givenMaleYoung
	case female:
		return givenFemaleMid
	}
	return givenMaleMid
}

// surnameOf returns the surname of a Han name (a two-character surname
// when it is one of the compound surnames drawn), "" for a minority name.
func surnameOf(name string) string {
	if strings.Contains(name, "·") {
		return ""
	}
	for _, s := range []string{"欧阳", "司马", "诸葛"} {
		if strings.HasPrefix(name, s) {
			return s
		}
	}
	r := []rune(name)
	return string(r[:1])
}

// Code tables drawn with plausible weights for people who left to work.
var (
	educationDraw = newWeighted(`70:40 60:18 80:10 30:12 20:8 40:6 50:2 10:1 90:2`)
	hukouDraw     = newWeighted(`10:75 20:10 30:15`)
	reasonDraw    = newWeighted(`1:75 2:5 3:8 4:5 5:5 9:2`)
)

// streets are street names for addresses outside Henan, where the
// built-in table stops at county level.
var streets = newWeighted(`建设路 人民路 解放路 中山路 新华路 和平路 振兴路 创业路 幸福路 光明路
兴业路 长江路 黄河路 学府路 工业大道 科技路 沿河路 滨江大道 文化路 朝阳路 育才路 友谊路`)

// estates are housing estates and dormitories.
var estates = newWeighted(`阳光花园 幸福家园 锦绣华庭 金色家园 御景园 工业园宿舍 城中村出租屋 新城小区 翠苑小区 和谐家园`)
