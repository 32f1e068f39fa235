#include "store/sealed_text.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace dlpd {

namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

std::string base64_encode(std::string_view in) {
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(in.data()), static_cast<int>(in.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
    if (in.empty() || in.size() % 4 != 0) return std::nullopt;
    std::string out(3 * in.size() / 4 + 1, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(in.data()), static_cast<int>(in.size()));
    if (n < 0) return std::nullopt;
    size_t len = static_cast<size_t>(n);
    if (in.size() >= 1 && in[in.size() - 1] == '=') --len;  // EVP_DecodeBlock counts padding as data
    if (in.size() >= 2 && in[in.size() - 2] == '=') --len;
    out.resize(len);
    return out;
}

struct CipherCtx {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

}  // namespace

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xF]);
    }
    return out;
}

std::optional<std::string> parse_key(std::string_view text) {
    if (text.size() == 2 * kKeyBytes) {
        std::string out;
        for (size_t i = 0; i < text.size(); i += 2) {
            auto nibble = [](char c) -> int {
                if (c >= '0' && c <= '9') return c - '0';
                if (c >= 'a' && c <= 'f') return c - 'a' + 10;
                if (c >= 'A' && c <= 'F') return c - 'A' + 10;
                return -1;
            };
            const int hi = nibble(text[i]), lo = nibble(text[i + 1]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
        }
        return out;
    }
    auto decoded = base64_decode(text);
    if (decoded && decoded->size() == kKeyBytes) return decoded;
    return std::nullopt;
}

std::string random_bytes(size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("the system random generator failed");
    return out;
}

std::string seal(std::string_view plaintext, const std::string &key) {
    if (key.size() != kKeyBytes) throw std::invalid_argument("sealing needs a 32-byte key");
    const std::string nonce = random_bytes(kNonceBytes);
    std::string cipher(plaintext.size(), '\0');
    unsigned char tag[kTagBytes];
    CipherCtx c;
    int len = 0;
    bool ok = c.ctx != nullptr &&
              EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char *>(key.data()),
                                 reinterpret_cast<const unsigned char *>(nonce.data())) == 1 &&
              EVP_EncryptUpdate(c.ctx, reinterpret_cast<unsigned char *>(cipher.data()), &len,
                                reinterpret_cast<const unsigned char *>(plaintext.data()),
                                static_cast<int>(plaintext.size())) == 1;
    int final_len = 0;
    ok = ok && EVP_EncryptFinal_ex(c.ctx, reinterpret_cast<unsigned char *>(cipher.data()) + len, &final_len) == 1 &&
         EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) == 1;
    if (!ok) throw std::runtime_error("AES-256-GCM sealing failed");
    return "v1:" + base64_encode(nonce + cipher + std::string(reinterpret_cast<char *>(tag), kTagBytes));
}

std::optional<std::string> unseal(std::string_view sealed, const std::string &key) {
    if (key.size() != kKeyBytes || sealed.substr(0, 3) != "v1:") return std::nullopt;
    auto raw = base64_decode(sealed.substr(3));
    if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::nullopt;
    const std::string nonce = raw->substr(0, kNonceBytes);
    const std::string cipher = raw->substr(kNonceBytes, raw->size() - kNonceBytes - kTagBytes);
    std::string tag = raw->substr(raw->size() - kTagBytes);
    std::string plain(cipher.size(), '\0');
    CipherCtx c;
    int len = 0, final_len = 0;
    const bool ok =
        c.ctx != nullptr &&
        EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char *>(key.data()),
                           reinterpret_cast<const unsigned char *>(nonce.data())) == 1 &&
        EVP_DecryptUpdate(c.ctx, reinterpret_cast<unsigned char *>(plain.data()), &len,
                          reinterpret_cast<const unsigned char *>(cipher.data()), static_cast<int>(cipher.size())) == 1 &&
        EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
        EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char *>(plain.data()) + len, &final_len) == 1;
    if (!ok) return std::nullopt;
    return plain;
}


}  // namespace dlpd
